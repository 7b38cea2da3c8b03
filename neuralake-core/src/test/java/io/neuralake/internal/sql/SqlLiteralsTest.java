package io.neuralake.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every user value reaches SQL through these literals: quoting, special numbers and glob characters. */
class SqlLiteralsTest {
  @Test
  void stringsDoubleTheirQuotesAndNothingElse() {
    assertThat(SqlLiterals.string("it's")).isEqualTo("'it''s'");
    assertThat(SqlLiterals.string("'; DROP TABLE t; --")).isEqualTo("'''; DROP TABLE t; --'");
    assertThat(SqlLiterals.string("back\\slash \"dq\" 日本 🙂")).isEqualTo("'back\\slash \"dq\" 日本 🙂'");
    assertThat(SqlLiterals.string("")).isEqualTo("''");
    assertThat(SqlLiterals.of('\'')).isEqualTo("''''");
  }

  @Test
  void numbersKeepTheirTypeAndPrecision() {
    assertThat(SqlLiterals.of(Long.MIN_VALUE)).isEqualTo("CAST(-9223372036854775808 AS BIGINT)");
    assertThat(SqlLiterals.of(7)).isEqualTo("7");
    assertThat(SqlLiterals.of(new BigInteger("123456789012345678901234567890"))).isEqualTo(
        "CAST(123456789012345678901234567890 AS HUGEINT)");
    assertThat(SqlLiterals.of(new BigDecimal("1E+3"))).isEqualTo("CAST('1000' AS DECIMAL(38,0))");
    assertThat(SqlLiterals.of(new BigDecimal("-0.001"))).isEqualTo("CAST('-0.001' AS DECIMAL(38,3))");
    assertThat(SqlLiterals.of(1e20)).isEqualTo("CAST(1.0E20 AS DOUBLE)");
  }

  @Test
  void nanAndInfinitiesAreSpelledAsTheEngineReadsThem() {
    assertThat(SqlLiterals.of(Double.NaN)).isEqualTo("CAST('NaN' AS DOUBLE)");
    assertThat(SqlLiterals.of(Double.NEGATIVE_INFINITY)).isEqualTo("CAST('-Infinity' AS DOUBLE)");
    assertThat(SqlLiterals.of(Float.POSITIVE_INFINITY)).isEqualTo("CAST(CAST('Infinity' AS DOUBLE) AS FLOAT)");
  }

  @Test
  void nullsListsAndTemporalValues() {
    assertThat(SqlLiterals.of(null)).isEqualTo("NULL");
    assertThat(SqlLiterals.typed(null, DataType.INT64)).isEqualTo("CAST(NULL AS BIGINT)");
    assertThat(SqlLiterals.of(List.of())).isEqualTo("[]");
    assertThat(SqlLiterals.of(Arrays.asList("a", null))).isEqualTo("['a', NULL]");
    assertThat(SqlLiterals.typed("2024-04-28", DataType.DATE)).isEqualTo("CAST('2024-04-28' AS DATE)");
    assertThat(SqlLiterals.of(LocalDate.of(2024, 4, 28))).isEqualTo("DATE '2024-04-28'");
    assertThat(SqlLiterals.of(LocalDateTime.of(2024, 4, 28, 1, 2, 3))).isEqualTo("TIMESTAMP '2024-04-28 01:02:03'");
    assertThat(SqlLiterals.of(new byte[] {0, (byte) 0xff})).isEqualTo("from_hex('00ff')");
    assertThatThrownBy(() -> SqlLiterals.of(Map.of())).hasMessageContaining("cannot be used in a query");
  }

  @Test
  void globCharactersInFilePathsMatchOnlyThemselves() {
    assertThat(SqlLiterals.filePath(Path.of("/lake/a*b?c[d].parquet"))).isEqualTo("'/lake/a[*]b[?]c[[]d].parquet'");
    assertThat(SqlLiterals.filePath(Path.of("/lake/it's/x.parquet"))).isEqualTo("'/lake/it''s/x.parquet'");
    assertThat(SqlLiterals.filePath(Path.of("/lake/a\\b.parquet"))).isEqualTo("'/lake/a\\b.parquet'");
    assertThat(SqlLiterals.filePaths(List.of(Path.of("/a"), Path.of("/b*")))).isEqualTo("['/a', '/b[*]']");
    assertThatThrownBy(() -> SqlLiterals.filePath(Path.of("/lake/a\\b*.parquet")))
        .hasMessageContaining("'/lake/a\\b*.parquet'").hasMessageContaining("rename");
  }
}
