package io.neuralake.server.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Result column names as PostgreSQL figures them, from the engine parser's tree of the client's SQL. */
class PgColumnNamesTest {
  static PgParser parser;

  @BeforeAll
  static void open() throws SQLException {
    parser = new PgParser();
  }

  @AfterAll
  static void close() {
    parser.close();
  }

  /** The names shown for {@code sql} when the engine names its columns {@code engine}. */
  private static List<String> names(String sql, String... engine) {
    return parser.columnNames(sql, List.of(engine));
  }

  @Test
  void callsAreNamedAfterTheirFunction() {
    assertThat(names("SELECT count(*), sum(x), max(x) FILTER (WHERE x > 1), lower(s), pg_catalog.format_type(a, b) FROM t",
        "count_star()", "sum(x)", "max(x) FILTER (WHERE (x > 1))", "lower(s)", "format_type(a, b)"))
        .containsExactly("count", "sum", "max", "lower", "format_type");
    assertThat(names("SELECT sum(x) OVER (), row_number() OVER (ORDER BY x), count(*) OVER () FROM t", "a", "b", "c"))
        .containsExactly("sum", "row_number", "count");
    assertThat(names("SELECT extract(year FROM d), date_part('year', d), coalesce(a, b), nullif(a, b), greatest(a, b),"
        + " trim(s), ARRAY[1, 2], EXISTS (SELECT 1), (SELECT max(y) FROM u), (SELECT 1) FROM t",
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"))
        .containsExactly("extract", "date_part", "coalesce", "nullif", "greatest", "btrim", "array", "exists", "max",
            "?column?");
  }

  @Test
  void castsAreNamedAfterWhatTheyCastOrElseTheirType() {
    assertThat(names("SELECT x::int, CAST(t.y AS double), 1::int, '2024-01-01'::date, DATE '2024-01-01',"
        + " 1::double precision, 1::bigint, 1::numeric(10, 2), 'a'::text, 1::varchar(3), count(*)::int, 1::int::text"
        + " FROM t", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"))
        .containsExactly("x", "y", "int4", "date", "date", "float8", "int8", "numeric", "text", "varchar", "count",
            "text");
  }

  @Test
  void caseIsNamedAfterItsElseOrElseCase() {
    assertThat(names("SELECT CASE WHEN a THEN 1 ELSE b END, CASE WHEN a THEN 1 END, CASE x WHEN 1 THEN 'one' ELSE 'many' END,"
        + " CASE WHEN a THEN 1 ELSE 2::int END FROM t", "1", "2", "3", "4"))
        .containsExactly("b", "case", "case", "case");
  }

  @Test
  void literalsAndOperatorsAreUnnamed() {
    assertThat(names("SELECT 1, 'a', NULL, true, 1.5, a + b, -a, a = b, a IS NULL, NOT a, a LIKE 'x', a IN (1, 2),"
        + " a BETWEEN 1 AND 2, $1 FROM t", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"))
        .containsOnly(PgColumnNames.UNNAMED);
  }

  @Test
  void aliasesAndBareColumnsKeepTheirNames() {
    // unquoted aliases fold to lower case as PostgreSQL folds them; a bare column keeps the engine's (its own) spelling
    assertThat(names("SELECT count(*) AS n, x AS \"Total\", x AS Total, P_PartKey, t.x, \"MiX\" FROM t",
        "n", "Total", "Total", "p_partkey", "x", "MiX"))
        .containsExactly("n", "Total", "total", "p_partkey", "x", "MiX");
  }

  @Test
  void starsKeepTheEngineNamesOfTheColumnsTheyExpandTo() {
    assertThat(names("SELECT * FROM t", "a", "b")).containsExactly("a", "b");
    assertThat(names("SELECT count(*), t.*, 1 FROM t", "count_star()", "a", "b", "c", "1"))
        .containsExactly("count", "a", "b", "c", "?column?");
    assertThat(names("SELECT *, sum(x) OVER () FROM t", "a", "b", "sum(x) OVER ()")).containsExactly("a", "b", "sum");
    assertThat(names("VALUES (1, 'a'), (2, 'b')", "col0", "col1")).containsExactly("column1", "column2");
  }

  @Test
  void setOperationsAreNamedAfterTheirFirstBranch() {
    assertThat(names("SELECT count(*) FROM t UNION ALL SELECT sum(x) AS s FROM u", "count_star()"))
        .containsExactly("count");
    assertThat(names("WITH q AS (SELECT 1 AS a) SELECT a, a + 1 FROM q", "a", "(a + 1)")).containsExactly("a", "?column?");
  }

  @Test
  void whatTheParserCannotReadKeepsTheEngineNames() {
    assertThat(names("SELECT a + FROM t", "(a + 1)")).containsExactly("(a + 1)");
    assertThat(names("SELECT a OPERATOR(pg_catalog.~) 'x' FROM t", "(a ~ 'x')")).containsExactly("?column?");
    assertThat(names("SELECT 1; SELECT 2", "1")).containsExactly("1");
    // a select list that does not match the engine's columns one for one (it was rewritten) keeps them too
    assertThat(names("SELECT a, b FROM t", "a")).containsExactly("a");
  }
}
