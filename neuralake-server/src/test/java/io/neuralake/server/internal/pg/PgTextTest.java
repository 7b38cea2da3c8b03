package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of the PostgreSQL door: SQL text scanning, parameter literals, value formats. */
class PgTextTest {
  @Test
  void parametersAreFoundOnlyInCode() {
    SqlText t = new SqlText("SELECT $1, '$2', \"$3\", $$ $4 $$, $tag$ $5 $tag$ -- $6\n /* $7 */ + $2");
    assertThat(t.parameterCount()).isEqualTo(2);
  }

  @Test
  void textParametersCannotBreakOutOfTheirLiteral() {
    String sql = PgParameters.bind(new SqlText("SELECT * FROM t WHERE a = $1 AND b = '$1'"), List.of(0),
        Arrays.asList("x' OR '1'='1".getBytes(UTF_8)), List.of());
    assertThat(sql).isEqualTo("SELECT * FROM t WHERE a = 'x'' OR ''1''=''1' AND b = '$1'");
  }

  @Test
  void typedParametersAreParsedBeforeTheyAreWritten() {
    assertThat(PgParameters.literal(1, "42".getBytes(UTF_8), 0, PgType.INT4.oid)).isEqualTo("42");
    assertThat(PgParameters.literal(1, null, 0, PgType.INT4.oid)).isEqualTo("NULL");
    assertThat(PgParameters.literal(1, "2024-01-31".getBytes(UTF_8), 0, PgType.DATE.oid)).isEqualTo("DATE '2024-01-31'");
    assertThat(PgParameters.literal(1, ByteBuffer.allocate(8).putLong(7).array(), 1, PgType.INT8.oid)).isEqualTo("7");
    assertThat(PgParameters.literal(1, new byte[] {1}, 1, PgType.BOOL.oid)).isEqualTo("TRUE");
    assertThat(PgParameters.literal(1, PgNumeric.binary(new BigDecimal("-12.50")), 1, PgType.NUMERIC.oid))
        .isEqualTo("CAST('-12.50' AS DECIMAL(38,2))");
    assertThatThrownBy(() -> PgParameters.literal(3, "1; DROP TABLE x".getBytes(UTF_8), 0, PgType.INT8.oid))
        .isInstanceOf(NeuralakeException.class).hasMessageContaining("$3")
        .satisfies(e -> assertThat(((NeuralakeException) e).code()).isEqualTo(ErrorCode.INVALID_VALUE));
    assertThatThrownBy(() -> PgParameters.literal(1, "2024-01-31' OR 'x".getBytes(UTF_8), 0, PgType.DATE.oid))
        .isInstanceOf(NeuralakeException.class);
    assertThatThrownBy(() -> PgParameters.literal(1, new byte[] {1, 2}, 1, PgType.INT4.oid))
        .isInstanceOf(NeuralakeException.class).hasMessageContaining("4 bytes");
  }

  @Test
  void aWrongNumberOfValuesIsRefused() {
    assertThatThrownBy(() -> PgParameters.bind(new SqlText("SELECT $1, $2"), List.of(), List.of(new byte[0]), List.of()))
        .hasMessageContaining("2 parameters").hasMessageContaining("1 values");
  }

  @Test
  void floatsPrintAsPostgresPrintsThem() {
    assertThat(PgValues.floatText(1.0)).isEqualTo("1");
    assertThat(PgValues.floatText(0.1)).isEqualTo("0.1");
    assertThat(PgValues.floatText(1e20)).isEqualTo("1e+20");
    assertThat(PgValues.floatText(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(PgValues.floatText(Double.NaN)).isEqualTo("NaN");
    assertThat(PgValues.floatText(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @Test
  void numericsRoundTripThroughTheBinaryFormat() {
    for (String v : List.of("0", "1", "-1", "12345.678", "0.0001", "10000", "-99999999999999999999.12345", "1.10")) {
      byte[] b = PgNumeric.binary(new BigDecimal(v));
      assertThat(PgParameters.literal(1, b, 1, PgType.NUMERIC.oid)).as(v).contains("'" + new BigDecimal(v).toPlainString()
          + "'");
    }
  }

  @Test
  void catalogRelationsBecomeCommonTableExpressionsAndStringsStay() {
    PgSession session = new PgSession("admin", "test", null, 1, 2);
    String sql = PgCatalogRewrite.rewrite("SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relname <> 'pg_class'"
        + " AND c.relname OPERATOR(pg_catalog.~) '^(part)$' COLLATE pg_catalog.default", () -> new PgCatalog("test",
        "admin", java.util.Map.of("tpch", "TPC-H"), List.of(new PgCatalog.TableInfo("tpch", "part", "Parts.",
        io.neuralake.types.Schema.of(io.neuralake.types.Field.of("p_partkey", io.neuralake.types.DataType.INT64)))), List.of()),
        session);
    assertThat(sql).startsWith("WITH nl_pg_class AS (SELECT ").contains("(20000, 'part', 16384")
        .endsWith("SELECT c.relname FROM nl_pg_class c WHERE c.relname <> 'pg_class' AND c.relname  ~  '^(part)$'");
  }

  @Test
  void sessionStatementsAreAnsweredAndEngineSettingsRefused() {
    PgSession session = new PgSession("admin", "test", "psql", 1, 2);
    assertThat(session.handle("SET extra_float_digits = 3")).isPresent();
    assertThat(session.handle("show extra_float_digits").orElseThrow().row().orElseThrow()).containsExactly("3");
    assertThat(session.handle("BEGIN")).isPresent();
    assertThat(session.status()).isEqualTo('T');
    assertThat(session.handle("ROLLBACK")).isPresent();
    assertThat(session.status()).isEqualTo('I');
    assertThat(session.handle("SELECT 1")).isEmpty();
    assertThatThrownBy(() -> session.handle("SET enable_external_access = true"))
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.NOT_ALLOWED));
    assertThat(PgSession.isEmpty("-- ping")).isTrue();
    assertThat(PgSession.isEmpty(" ; /* x */ ")).isTrue();
  }
}
