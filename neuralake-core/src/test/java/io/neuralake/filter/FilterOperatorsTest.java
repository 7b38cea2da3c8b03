package io.neuralake.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.Fixtures;
import io.neuralake.types.DataType;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every filter operator, on partition and data columns, against the same query run directly in DuckDB. */
class FilterOperatorsTest {
  @TempDir static Path dir;
  static final CountingStore STORE = new CountingStore();
  static Catalog catalog;
  static DuckDb duck;

  @BeforeAll
  static void setUp() {
    Fixtures.writeEvents(dir.resolve("events"));
    ParquetTable events = ParquetTable.builder("events", "events")
        .partitioning(PartitioningScheme.HIVE,
            Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))
        .build();
    catalog = Fixtures.catalog(dir, STORE, events);
    duck = new DuckDb();
  }

  @AfterAll
  static void tearDown() {
    duck.close();
  }

  static Stream<Arguments> operators() {
    return Stream.of(
        // partition columns
        Arguments.of(Filter.eq("implant_id", 4595), "implant_id = 4595"),
        Arguments.of(Filter.ne("implant_id", 4595), "implant_id <> 4595"),
        Arguments.of(Filter.lt("implant_id", 4596), "implant_id < 4596"),
        Arguments.of(Filter.le("implant_id", 4596), "implant_id <= 4596"),
        Arguments.of(Filter.gt("implant_id", 4596), "implant_id > 4596"),
        Arguments.of(Filter.ge("implant_id", 4596), "implant_id >= 4596"),
        Arguments.of(Filter.in("implant_id", 4595, 45950), "implant_id IN (4595, 45950)"),
        Arguments.of(Filter.notIn("implant_id", 4595, 45950), "implant_id NOT IN (4595, 45950)"),
        Arguments.of(Filter.eq("date", "2024-04-28"), "date = '2024-04-28'"),
        Arguments.of(Filter.ge("date", "2024-04-28"), "date >= '2024-04-28'"),
        Arguments.of(Filter.contains("date", "04-2"), "contains(date, '04-2')"),
        Arguments.of(Filter.contains("date", "-29"), "contains(date, '-29')"),
        // data columns
        Arguments.of(Filter.eq("x", 42), "x = 42"),
        Arguments.of(Filter.ne("x", 42), "x <> 42"),
        Arguments.of(Filter.lt("x", 42), "x < 42"),
        Arguments.of(Filter.le("x", 42), "x <= 42"),
        Arguments.of(Filter.gt("x", 300), "x > 300"),
        Arguments.of(Filter.ge("x", 300), "x >= 300"),
        Arguments.of(Filter.in("x", 1, 2, 3, 400), "x IN (1, 2, 3, 400)"),
        Arguments.of(Filter.notIn("x", List.of(1, 2, 3)), "x NOT IN (1, 2, 3)"),
        Arguments.of(Filter.gt("v", 100.5), "v > 100.5"),
        Arguments.of(Filter.contains("name", "_1"), "contains(name, '_1')"),
        Arguments.of(Filter.eq("d", LocalDate.of(2024, 1, 5)), "d = DATE '2024-01-05'"),
        Arguments.of(Filter.le("d", "2024-01-03"), "d <= DATE '2024-01-03'"),
        Arguments.of(Filter.includes("tags", 3), "list_contains(tags, 3)"),
        Arguments.of(Filter.includesAny("tags", 1, 6), "list_has_any(tags, [1, 6])"),
        Arguments.of(Filter.includesAll("tags", 4, 6), "list_has_all(tags, [4, 6])"),
        Arguments.of(Filter.of("x", "==", 7), "x = 7"),
        Arguments.of(Filter.parse("name in ['name_1', 'name_2']"), "name IN ('name_1', 'name_2')"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operators")
  void everyOperatorMatchesDuckDb(Filter filter, String sql) {
    List<Object> ours;
    try (DataFrame df = catalog.db("db").table("events", filter).select("x").sort("x").collect()) {
      ours = df.column("x");
    }
    List<String> expected = duck.rows("SELECT x FROM (" + Fixtures.eventsSql(dir.resolve("events")) + ") WHERE " + sql + " ORDER BY x");
    assertThat(ours.stream().map(String::valueOf).toList()).isEqualTo(expected).isNotEmpty();
  }

  @Test
  void disjunctionOfConjunctions() {
    List<List<Filter>> anyOf = List.of(
        List.of(Filter.eq("implant_id", 4595), Filter.lt("x", 50)),
        List.of(Filter.eq("date", "2024-04-29"), Filter.includes("tags", 0)));
    STORE.reset();
    List<Object> ours;
    try (DataFrame df = catalog.db("db").table("events", anyOf).select("x").sort("x").collect()) {
      ours = df.column("x");
    }
    List<String> expected = duck.rows("SELECT x FROM (" + Fixtures.eventsSql(dir.resolve("events")) + ")"
        + " WHERE (implant_id = 4595 AND x < 50) OR (date = '2024-04-29' AND list_contains(tags, 0)) ORDER BY x");
    assertThat(ours.stream().map(String::valueOf).toList()).isEqualTo(expected).isNotEmpty();
    // implant 4595 (3 dates) plus 2024-04-29 of the two other implants
    assertThat(STORE.filesOpened).hasSize(5);
  }

  @Test
  void filtersAlsoApplyInFrames() {
    try (DataFrame df = catalog.db("db").table("events")
        .filter(Filter.eq("implant_id", 4596), Filter.includesAny("tags", List.of(2)))
        .select("x").sort("x").collect()) {
      List<String> expected = duck.rows("SELECT x FROM (" + Fixtures.eventsSql(dir.resolve("events")) + ")"
          + " WHERE implant_id = 4596 AND list_has_any(tags, [2]) ORDER BY x");
      assertThat(df.column("x").stream().map(String::valueOf).toList()).isEqualTo(expected);
    }
  }
}
