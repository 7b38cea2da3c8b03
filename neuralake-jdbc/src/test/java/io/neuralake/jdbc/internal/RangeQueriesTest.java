package io.neuralake.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.jdbc.JdbcDialect;
import io.neuralake.types.DataType;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The queries of a parallel read: min/max under the read's filters, then one per range. */
class RangeQueriesTest {
  static final RemoteColumn ID = new RemoteColumn("id", DataType.INT64, "int8", true);
  static final RemoteColumn SITE = new RemoteColumn("site", DataType.STRING, "text", true);
  static final RemoteQuery READ = RemoteQuery.render(JdbcDialect.postgres(), "t", "\"t\"", List.of(ID, SITE), List.of(),
      Filters.all(Filter.eq("site", "a")), OptionalLong.empty());

  @Test
  void minAndMaxAreFoundUnderThePushedFilters() {
    RemoteQuery q = RangeQueries.minMax(READ, ID);
    assertThat(q.sql()).isEqualTo("SELECT min(\"id\"), max(\"id\") FROM (SELECT \"id\", \"site\" FROM \"t\""
        + " WHERE \"site\" = CAST(? AS text)) AS r");
    assertThat(q.parameters()).containsExactly("a");
  }

  @Test
  void eachRowFallsInExactlyOneRangeAndNullsInTheFirst() {
    List<RemoteQuery> ranges = RangeQueries.ranges(READ, ID, List.of(10L, 20L), List.of(SITE));
    String from = "SELECT \"site\" FROM (" + READ.sql() + ") AS r WHERE ";
    assertThat(ranges).extracting(RemoteQuery::sql).containsExactly(
        from + "(\"id\" < CAST(? AS bigint) OR \"id\" IS NULL)",
        from + "\"id\" >= CAST(? AS bigint) AND \"id\" < CAST(? AS bigint)",
        from + "\"id\" >= CAST(? AS bigint)");
    assertThat(ranges).extracting(RemoteQuery::parameters).containsExactly(
        List.of("a", 10L), List.of("a", 10L, 20L), List.of("a", 20L));
    assertThat(ranges).allSatisfy(r -> assertThat(r.columns()).containsExactly(SITE));
  }

  @Test
  void noBoundsIsOneQueryForEverything() {
    List<RemoteQuery> ranges = RangeQueries.ranges(READ, ID, List.of(), List.of(ID, SITE));
    assertThat(ranges).singleElement().satisfies(r -> {
      assertThat(r.sql()).isEqualTo("SELECT \"id\", \"site\" FROM (" + READ.sql() + ") AS r");
      assertThat(r.parameters()).containsExactly("a");
    });
  }
}
