package io.neuralake.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.jdbc.JdbcDialect;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The remote SQL a read sends: what is pushed, as parameters, and what stays in the engine. */
class RemoteQueryTest {
  static final List<RemoteColumn> COLUMNS = List.of(
      new RemoteColumn("id", DataType.INT64, "int8", true),
      new RemoteColumn("site", DataType.STRING, "text", true),
      new RemoteColumn("score", DataType.decimal(10, 2), "numeric", true),
      new RemoteColumn("born", DataType.DATE, "date", true),
      new RemoteColumn("seen", DataType.TIMESTAMP_TZ, "timestamptz", true),
      new RemoteColumn("doc", DataType.STRING, "jsonb", false),
      new RemoteColumn("tags", DataType.list(DataType.STRING), "_text", false),
      new RemoteColumn("we\"ird", DataType.INT32, "int4", true));
  static final JdbcDialect PG = JdbcDialect.postgres();
  static final String FROM = RemoteQuery.tableSource(PG, "public.patients");

  static RemoteQuery render(List<String> columns, Filters filters) {
    return RemoteQuery.render(PG, "clinic.patients", FROM, COLUMNS, columns, filters, OptionalLong.empty());
  }

  @Test
  void noFilterReadsEveryColumnByName() {
    RemoteQuery q = render(List.of(), Filters.none());
    assertThat(q.sql()).isEqualTo("SELECT \"id\", \"site\", \"score\", \"born\", \"seen\", \"doc\", \"tags\", \"we\"\"ird\""
        + " FROM \"public\".\"patients\"");
    assertThat(q.parameters()).isEmpty();
    assertThat(q.pushed().isEmpty()).isTrue();
  }

  @Test
  void comparisonsBecomeTypedParameters() {
    RemoteQuery q = render(List.of("id"), Filters.all(Filter.eq("site", "a"), Filter.ge("score", new BigDecimal("1.5")),
        Filter.lt("born", "2000-01-01"), Filter.in("id", 1, 2, 3)));
    assertThat(q.sql()).isEqualTo("SELECT \"id\", \"site\", \"score\", \"born\" FROM \"public\".\"patients\" WHERE"
        + " \"site\" = CAST(? AS text) AND \"score\" >= CAST(? AS numeric(10,2)) AND \"born\" < CAST(? AS date)"
        + " AND \"id\" IN (CAST(? AS bigint), CAST(? AS bigint), CAST(? AS bigint))");
    // a decimal parameter comes at the column's scale (numeric(10,2)): 1.5 is sent as 1.50
    assertThat(q.parameters()).containsExactly("a", new BigDecimal("1.50"), LocalDate.of(2000, 1, 1), 1L, 2L, 3L);
    assertThat(q.columns()).extracting(RemoteColumn::name).containsExactly("id", "site", "score", "born");
  }

  @Test
  void textOrderIsByteOrderWhateverTheCollation() {
    RemoteQuery q = render(List.of("site"), Filters.all(Filter.gt("site", "B"), Filter.contains("site", "50%_")));
    assertThat(q.sql()).endsWith("WHERE \"site\" COLLATE \"C\" > CAST(? AS text) AND strpos(\"site\", CAST(? AS text)) > 0");
    assertThat(q.parameters()).containsExactly("B", "50%_");
  }

  @Test
  void instantsAreBoundAsUtcOffsets() {
    RemoteQuery q = render(List.of("id"), Filters.all(Filter.ge("seen", Instant.parse("2024-01-02T03:04:05Z"))));
    assertThat(q.parameters()).containsExactly(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC));
  }

  @Test
  void whatTheDatabaseCannotSayStaysInTheEngine() {
    // json text, a list operator on a column that is no list, an empty list, an unknown column
    RemoteQuery q = render(List.of(), Filters.all(Filter.eq("doc", "{}"), Filter.includesAny("site", "x"),
        Filter.in("id", List.of()), Filter.eq("nope", 1), Filter.eq("id", 7)));
    assertThat(q.sql()).endsWith("WHERE \"id\" = CAST(? AS bigint)");
    assertThat(q.pushed()).isEqualTo(Filters.all(Filter.eq("id", 7)));
    RemoteQuery includes = render(List.of(), Filters.all(Filter.includes("tags", "x")));
    assertThat(includes.sql()).endsWith("WHERE CAST(? AS text) = ANY(\"tags\")");
  }

  @Test
  void aDisjunctionIsPushedOnlyWhenEveryBranchNarrows() {
    RemoteQuery both = render(List.of(), Filters.anyOf(List.of(List.of(Filter.eq("id", 1)),
        List.of(Filter.eq("site", "b"), Filter.eq("doc", "{}")))));
    assertThat(both.sql()).endsWith("WHERE (\"id\" = CAST(? AS bigint)) OR (\"site\" = CAST(? AS text))");
    assertThat(both.parameters()).containsExactly(1L, "b");
    RemoteQuery one = render(List.of(), Filters.anyOf(List.of(List.of(Filter.eq("id", 1)),
        List.of(Filter.eq("doc", "{}")))));
    assertThat(one.sql()).doesNotContain("WHERE");
    assertThat(one.parameters()).isEmpty();
  }

  @Test
  void injectionInValuesStaysAValue() {
    String evil = "a'; DROP TABLE patients; --";
    RemoteQuery q = render(List.of(), Filters.all(Filter.eq("site", evil), Filter.in("site", evil, "\" OR 1=1")));
    assertThat(q.sql()).doesNotContain("DROP").doesNotContain("1=1");
    assertThat(q.parameters()).containsExactly(evil, evil, "\" OR 1=1");
  }

  @Test
  void injectionInIdentifiersStaysAName() {
    assertThat(PG.quote("x\"; DROP TABLE t; --")).isEqualTo("\"x\"\"; DROP TABLE t; --\"");
    assertThat(RemoteQuery.tableSource(PG, "public.pa\"tients")).isEqualTo("\"public\".\"pa\"\"tients\"");
    RemoteQuery q = render(List.of("we\"ird"), Filters.all(Filter.eq("we\"ird", 1)));
    assertThat(q.sql()).isEqualTo("SELECT \"we\"\"ird\" FROM \"public\".\"patients\" WHERE \"we\"\"ird\" = CAST(? AS integer)");
    assertThatThrownBy(() -> PG.quote("a\0b")).hasMessageContaining("NUL character");
  }

  @Test
  void aCountReadsNoColumnButStillOneRowPerRow() {
    RemoteQuery q = RemoteQuery.render(PG, "t", FROM, List.of(), List.of(), Filters.none(), OptionalLong.empty());
    assertThat(q.sql()).isEqualTo("SELECT 1 FROM \"public\".\"patients\"");
  }
}
