package io.neuralake.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgLiteralsTest {
  @Test
  void placeholdersInQuotesIdentifiersAndCommentsStay() throws SQLException {
    String sql = "SELECT \"a?\", '?' AS q, $t$?$t$ AS d /* ? */ FROM t WHERE \"a?\" = CAST(? AS text) -- ?\n"
        + " AND n < CAST(? AS bigint)";
    assertThat(PgLiterals.inline(sql, List.of("x", 5L), true)).contains(
        "SELECT \"a?\", '?' AS q, $t$?$t$ AS d /* ? */ FROM t WHERE \"a?\" = CAST('x' AS text) -- ?\n"
            + " AND n < CAST('5' AS bigint)");
  }

  @Test
  void quotesAreDoubledAndBackslashesFollowTheConnection() throws SQLException {
    String sql = "SELECT * FROM t WHERE s = CAST(? AS text)";
    assertThat(PgLiterals.inline(sql, List.of("'; DROP TABLE t; --"), true))
        .contains("SELECT * FROM t WHERE s = CAST('''; DROP TABLE t; --' AS text)");
    assertThat(PgLiterals.inline(sql, List.of("\\'"), true)).contains("SELECT * FROM t WHERE s = CAST('\\''' AS text)");
    assertThat(PgLiterals.inline(sql, List.of("\\'"), false)).contains("SELECT * FROM t WHERE s = CAST('\\\\''' AS text)");
    assertThatThrownBy(() -> PgLiterals.inline(sql, List.of("a\0b"), true)).isInstanceOf(SQLException.class);
  }

  @Test
  void onlyCastPlaceholdersAndExactValuesAreWritten() throws SQLException {
    assertThat(PgLiterals.inline("SELECT * FROM t WHERE n = ?", List.of(1L), true)).isEmpty();
    assertThat(PgLiterals.inline("SELECT * FROM t WHERE n = CAST(? AS bigint)", List.of(), true)).isEmpty();
    assertThat(PgLiterals.literal(LocalDate.of(-3, 1, 1), true)).isEmpty();
    assertThat(PgLiterals.literal(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 1), true)).as("nanoseconds").isEmpty();
    assertThat(PgLiterals.literal(new Object(), true)).isEmpty();
    assertThat(PgLiterals.literal(new BigDecimal("1E+3"), true)).contains("'1000'");
    assertThat(PgLiterals.literal(Double.NaN, true)).contains("'NaN'");
    assertThat(PgLiterals.literal(-0.0, true)).contains("'-0.0'");
    assertThat(PgLiterals.literal(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000), true))
        .contains("'2024-01-02 03:04:05.000006'");
    assertThat(PgLiterals.literal(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(-3, -30)), true))
        .contains("'2024-01-02 03:04:05.000000-03:30'");
  }
}
