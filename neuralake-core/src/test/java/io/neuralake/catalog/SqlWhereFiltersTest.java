package io.neuralake.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.table.FunctionTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WHERE clause of catalog SQL as the pruning filters a table receives: the engine's parser
 * reads the text, the rewriter keeps what converts exactly. A function table that takes options
 * shows what it was given.
 */
class SqlWhereFiltersTest {
  static final AtomicReference<Filters> GIVEN = new AtomicReference<>();
  static Catalog catalog;

  @BeforeAll
  static void setUp() {
    FunctionTable t = FunctionTable.builder("t", options -> {
      GIVEN.set(options.filters());
      Map<String, List<?>> columns = new LinkedHashMap<>();
      columns.put("a", List.of(1L, 2L));
      columns.put("s", List.of("x", "it's"));
      return Frame.fromColumns(columns);
    }).build();
    catalog = Catalog.builder("test").engine(Engine.shared()).database("db", t).build();
  }

  private static Filters filtersOf(String where) {
    GIVEN.set(null);
    try (DataFrame df = catalog.sql("SELECT * FROM db.t WHERE " + where).collect()) {
      df.rowCount();
    }
    return GIVEN.get();
  }

  @Test
  void comparisonsOnEitherSideAndBetween() {
    assertThat(filtersOf("a = 1 AND s > 'x'")).isEqualTo(Filters.all(Filter.eq("a", 1L), Filter.gt("s", "x")));
    assertThat(filtersOf("1 < a")).isEqualTo(Filters.all(Filter.gt("a", 1L)));
    assertThat(filtersOf("a BETWEEN 1 AND 3")).isEqualTo(Filters.all(Filter.ge("a", 1L), Filter.le("a", 3L)));
    assertThat(filtersOf("a IN (1, 2)")).isEqualTo(Filters.all(Filter.in("a", 1L, 2L)));
    assertThat(filtersOf("contains(s, 'b')")).isEqualTo(Filters.all(Filter.contains("s", "b")));
  }

  @Test
  void quotesAndUnicodeInLiteralsArriveAsWritten() {
    assertThat(filtersOf("s = 'it''s'")).isEqualTo(Filters.all(Filter.eq("s", "it's")));
    assertThat(filtersOf("s = 'Zürich 🙂'")).isEqualTo(Filters.all(Filter.eq("s", "Zürich 🙂")));
    // a typed text literal arrives as its text; the table coerces it to its column's type
    assertThat(filtersOf("s = CAST('x' AS VARCHAR)")).isEqualTo(Filters.all(Filter.eq("s", "x")));
  }

  @Test
  void disjunctionsBecomeDisjunctiveNormalForm() {
    assertThat(filtersOf("(a = 1 OR a = 2) AND s = 'x'")).isEqualTo(Filters.anyOf(List.of(
        List.of(Filter.eq("a", 1L), Filter.eq("s", "x")), List.of(Filter.eq("a", 2L), Filter.eq("s", "x")))));
    // one side of an OR that does not convert makes the whole OR unusable
    assertThat(filtersOf("a = 1 OR lower(s) = 'x'")).isEqualTo(Filters.none());
    assertThat(filtersOf("a = 1 AND lower(s) = 'x'")).isEqualTo(Filters.all(Filter.eq("a", 1L)));
    assertThat(filtersOf("a IS NULL")).isEqualTo(Filters.none());
    assertThat(filtersOf("a = NULL")).isEqualTo(Filters.none());
  }

  @Test
  void expansionOfManyOrsStaysBounded() {
    // three conjuncts of eight alternatives: 512 conjunctions if expanded in full
    StringBuilder where = new StringBuilder("TRUE");
    for (String c : List.of("a", "a", "a")) {
      where.append(" AND (");
      for (int v = 0; v < 8; v++) {
        where.append(v == 0 ? "" : " OR ").append(c).append(" = ").append(v);
      }
      where.append(")");
    }
    Filters f = filtersOf(where.toString());
    assertThat(f.disjuncts().size()).isBetween(1, 64);
  }

  @Test
  void aCastThatChangesTheValueIsNotAPruningFilter() {
    // CAST(1.9 AS INTEGER) is 2: pruning with a = 1.9 would drop the row the query wants
    assertThat(filtersOf("a = CAST(1.9 AS INTEGER)")).isEqualTo(Filters.none());
    try (DataFrame df = catalog.sql("SELECT a FROM db.t WHERE a = CAST(1.9 AS INTEGER)").collect()) {
      assertThat(df.rowCount()).isEqualTo(1);
    }
  }
}
