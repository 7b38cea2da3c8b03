package io.neuralake.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.jdbc.JdbcDialect;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Each dialect's rendering: which filters it writes and how, and where a row limit goes. */
class DialectTest {
  static final List<RemoteColumn> COLUMNS = List.of(
      new RemoteColumn("id", DataType.INT64, "bigint", true),
      new RemoteColumn("site", DataType.STRING, "character varying", true),
      new RemoteColumn("score", DataType.decimal(10, 2), "numeric", true),
      new RemoteColumn("ratio", DataType.FLOAT64, "double precision", true),
      new RemoteColumn("at", DataType.TIME, "time", true),
      new RemoteColumn("code", DataType.STRING, "character", false),
      new RemoteColumn("tags", DataType.list(DataType.STRING), "character varying array", false));
  static final JdbcDialect ANSI = JdbcDialect.ansi();
  static final JdbcDialect PG = JdbcDialect.postgres();

  static RemoteQuery render(JdbcDialect dialect, Filters filters, OptionalLong limit) {
    return RemoteQuery.render(dialect, "lab.t", RemoteQuery.tableSource(dialect, "PUBLIC.T"), COLUMNS, List.of("id"),
        filters, limit);
  }

  static String where(JdbcDialect dialect, Filter filter) {
    RemoteQuery q = render(dialect, Filters.all(filter), OptionalLong.empty());
    int at = q.sql().indexOf(" WHERE ");
    return at < 0 ? null : q.sql().substring(at + " WHERE ".length());
  }

  @Test
  void theUrlChoosesTheDialect() {
    assertThat(JdbcDialect.forUrl("jdbc:postgresql://db:5432/clinic")).isSameAs(PG);
    assertThat(JdbcDialect.forUrl("jdbc:h2:mem:x")).isSameAs(ANSI);
    assertThat(JdbcDialect.forUrl("jdbc:sqlite:/tmp/x.db")).isSameAs(ANSI);
  }

  @Test
  void ansiWritesStandardComparisonsWithTypedParameters() {
    assertThat(where(ANSI, Filter.eq("id", 7))).isEqualTo("\"id\" = CAST(? AS BIGINT)");
    assertThat(where(ANSI, Filter.ne("id", 7))).isEqualTo("\"id\" <> CAST(? AS BIGINT)");
    assertThat(where(ANSI, Filter.lt("score", new BigDecimal("1.5")))).isEqualTo("\"score\" < CAST(? AS NUMERIC(10,2))");
    assertThat(where(ANSI, Filter.le("id", 7))).isEqualTo("\"id\" <= CAST(? AS BIGINT)");
    assertThat(where(ANSI, Filter.gt("id", 7))).isEqualTo("\"id\" > CAST(? AS BIGINT)");
    assertThat(where(ANSI, Filter.ge("at", LocalTime.of(12, 0, 0, 500_000_000))))
        .as("a bare TIME has whole seconds: the parameter keeps its microseconds")
        .isEqualTo("\"at\" >= CAST(? AS TIME(6))");
    assertThat(where(ANSI, Filter.in("site", "a", "b"))).isEqualTo("\"site\" IN (CAST(? AS VARCHAR), CAST(? AS VARCHAR))");
    assertThat(where(ANSI, Filter.notIn("id", 1))).isEqualTo("\"id\" NOT IN (CAST(? AS BIGINT))");
    assertThat(where(ANSI, Filter.eq("site", "a"))).isEqualTo("\"site\" = CAST(? AS VARCHAR)");
    assertThat(where(ANSI, Filter.ne("site", "a"))).isEqualTo("\"site\" <> CAST(? AS VARCHAR)");
    assertThat(where(ANSI, Filter.contains("site", "50%_"))).isEqualTo("POSITION(CAST(? AS VARCHAR) IN \"site\") > 0");
  }

  @Test
  void ansiLeavesToTheEngineWhatStandardSqlDoesNotSayTheEnginesWay() {
    assertThat(where(ANSI, Filter.lt("site", "b"))).as("text order: the collation's, not byte order").isNull();
    assertThat(where(ANSI, Filter.ge("site", "b"))).isNull();
    assertThat(where(ANSI, Filter.eq("ratio", 0.5))).as("floats: how NaN compares is the database's own").isNull();
    assertThat(where(ANSI, Filter.includes("tags", "x"))).as("arrays are not standard SQL").isNull();
    assertThat(where(ANSI, Filter.eq("code", "a"))).as("blank-padded text").isNull();
  }

  @Test
  void postgresWritesItsOwnOperators() {
    assertThat(where(PG, Filter.lt("site", "b"))).isEqualTo("\"site\" COLLATE \"C\" < CAST(? AS text)");
    assertThat(where(PG, Filter.contains("site", "x"))).isEqualTo("strpos(\"site\", CAST(? AS text)) > 0");
    assertThat(where(PG, Filter.includes("tags", "x"))).isEqualTo("CAST(? AS text) = ANY(\"tags\")");
    assertThat(where(PG, Filter.eq("ratio", 0.5))).isEqualTo("\"ratio\" = CAST(? AS double precision)");
    assertThat(where(PG, Filter.ge("at", LocalTime.NOON))).isEqualTo("\"at\" >= CAST(? AS time)");
    assertThat(where(PG, Filter.includesAny("tags", "x", "y")))
        .isEqualTo("CAST(\"tags\" AS text[]) && ARRAY[CAST(? AS text), CAST(? AS text)]");
    assertThat(where(PG, Filter.includesAll("tags", "x"))).isEqualTo("CAST(\"tags\" AS text[]) @> ARRAY[CAST(? AS text)]");
  }

  @Test
  void eachDialectWritesTheLimitInItsSyntax() {
    RemoteQuery ansi = render(ANSI, Filters.all(Filter.eq("id", 7)), OptionalLong.of(5));
    assertThat(ansi.sql()).isEqualTo("SELECT \"id\" FROM \"PUBLIC\".\"T\" WHERE \"id\" = CAST(? AS BIGINT)"
        + " FETCH FIRST 5 ROWS ONLY");
    assertThat(ansi.limit()).hasValue(5);
    assertThat(ansi.describe()).contains("FETCH FIRST 5 ROWS ONLY").endsWith("; dialect ansi");
    RemoteQuery pg = render(PG, Filters.none(), OptionalLong.of(5));
    assertThat(pg.sql()).isEqualTo("SELECT \"id\" FROM \"PUBLIC\".\"T\" LIMIT 5");
    assertThat(render(PG, Filters.none(), OptionalLong.empty()).sql()).doesNotContain("LIMIT");
  }

  @Test
  void aLimitIsWrittenOnlyWhenEveryFilterIsPushed() {
    // the engine drops rows under a filter it applies itself: a remote limit would leave fewer rows than asked for
    RemoteQuery partial = render(ANSI, Filters.all(Filter.eq("id", 7), Filter.eq("ratio", 0.5)), OptionalLong.of(5));
    assertThat(partial.sql()).endsWith("WHERE \"id\" = CAST(? AS BIGINT)");
    assertThat(partial.limit()).isEmpty();
    RemoteQuery branch = render(PG, Filters.anyOf(List.of(List.of(Filter.eq("id", 1)),
        List.of(Filter.eq("site", "b"), Filter.eq("code", "x")))), OptionalLong.of(5));
    assertThat(branch.sql()).doesNotContain("LIMIT");
    RemoteQuery unknown = render(PG, Filters.all(Filter.eq("nope", 1)), OptionalLong.of(5));
    assertThat(unknown.sql()).doesNotContain("LIMIT");
    RemoteQuery both = render(PG, Filters.anyOf(List.of(List.of(Filter.eq("id", 1)), List.of(Filter.eq("site", "b")))),
        OptionalLong.of(5));
    assertThat(both.sql()).endsWith("WHERE (\"id\" = CAST(? AS bigint)) OR (\"site\" = CAST(? AS text)) LIMIT 5");
  }
}
