package io.neuralake.server.internal.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Finding {@code ?} placeholders, guessing their types and binding values as literals. */
class ParametersTest {
  @Test
  void placeholdersInsideStringsQuotedNamesAndCommentsAreNotParameters() {
    String sql = "SELECT '?', \"a?b\", x -- what?\n FROM t /* ? */ WHERE a = ? AND b = 'it''s ?' AND c IN (?, ?)";
    assertThat(Parameters.placeholders(sql)).hasSize(3);
    List<Optional<DataType>> types = List.of(Optional.of(DataType.INT64), Optional.empty(), Optional.empty());
    assertThat(Parameters.withNulls(sql, types, false))
        .endsWith("a = CAST(NULL AS BIGINT) AND b = 'it''s ?' AND c IN (NULL, NULL)");
    assertThat(Parameters.withNulls(sql, types, true)).endsWith("c IN (CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR))");
  }

  @Test
  void boundValuesAreEscapedLiteralsOfTheirType() {
    assertThat(Parameters.literal(1, "x' OR '1'='1")).isEqualTo("'x'' OR ''1''=''1'");
    assertThat(Parameters.literal(1, 42L)).contains("42").contains("BIGINT");
    assertThat(Parameters.literal(1, LocalDate.of(2024, 2, 29))).contains("2024-02-29").contains("DATE");
    assertThat(Parameters.literal(1, new BigDecimal("12.50"))).contains("12.50").contains("DECIMAL(38,2)");
    assertThat(Parameters.literal(1, null)).isEqualTo("NULL");
    assertThat(Parameters.substitute("SELECT ? + ?", List.of("1", "2"))).isEqualTo("SELECT 1 + 2");
  }

  @Test
  void aValueThatCannotBeBoundNamesTheParameter() {
    assertThatThrownBy(() -> Parameters.literal(3, Map.of("a", 1)))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
          assertThat(e.getMessage()).contains("parameter 3");
        });
    assertThatThrownBy(() -> Parameters.substitute("SELECT ?", List.of("1", "2")))
        .hasMessageContaining("1 parameters (?) but 2 values");
  }

  @Test
  void aParameterTakesTheTypeOfTheColumnItIsComparedWith() {
    Map<String, DataType> columns = Map.of("o_orderkey", DataType.INT64, "o_orderdate", DataType.DATE,
        "o_orderstatus", DataType.STRING);
    String sql = "SELECT * FROM tpch.orders WHERE o_orderkey = ? AND \"o_orderdate\" BETWEEN ? AND ?"
        + " AND o_orderstatus IN (?, ?) AND ? > 1";
    assertThat(Parameters.types(sql, name -> Optional.ofNullable(columns.get(name)))).containsExactly(
        Optional.of(DataType.INT64), Optional.of(DataType.DATE), Optional.of(DataType.DATE),
        Optional.of(DataType.STRING), Optional.of(DataType.STRING), Optional.empty());
  }

  @Test
  void likePatternsMatchAsSqlDoes() {
    assertThat(CatalogMetadata.like("tp%").matcher("tpch").matches()).isTrue();
    assertThat(CatalogMetadata.like("t_ch").matcher("tpch").matches()).isTrue();
    assertThat(CatalogMetadata.like("t_ch").matcher("tpcch").matches()).isFalse();
    assertThat(CatalogMetadata.like("a\\_b").matcher("a_b").matches()).isTrue();
    assertThat(CatalogMetadata.like("a\\_b").matcher("axb").matches()).isFalse();
    assertThat(CatalogMetadata.like("a.b*").matcher("a.b*").matches()).isTrue();
    assertThat(CatalogMetadata.like("a.b*").matcher("axbb").matches()).isFalse();
    assertThat(CatalogMetadata.like(null).matcher("anything").matches()).isTrue();
  }

  @Test
  void errorsMapToFlightStatusesByCategory() {
    assertThat(FlightErrors.status(ErrorCode.TABLE_NOT_FOUND).code().name()).isEqualTo("NOT_FOUND");
    assertThat(FlightErrors.status(ErrorCode.TIME_LIMIT).code().name()).isEqualTo("TIMED_OUT");
    assertThat(FlightErrors.status(ErrorCode.ROW_LIMIT).code().name()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(FlightErrors.status(ErrorCode.OVERLOADED).code().name()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(FlightErrors.status(ErrorCode.FORBIDDEN).code().name()).isEqualTo("UNAUTHORIZED");
    assertThat(FlightErrors.status(ErrorCode.STORAGE_UNAVAILABLE).code().name()).isEqualTo("UNAVAILABLE");
    assertThat(FlightErrors.status(ErrorCode.NOT_ALLOWED).code().name()).isEqualTo("INVALID_ARGUMENT");
    assertThat(FlightErrors.of(new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "table x.y is not in the catalog"))
        .status().description()).isEqualTo("TABLE_NOT_FOUND: table x.y is not in the catalog");
  }
}
