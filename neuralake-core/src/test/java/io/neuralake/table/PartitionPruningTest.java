package io.neuralake.table;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.frame.JoinType;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.Fixtures;
import io.neuralake.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prefix and listing pruning, proven by the folders listed and the files handed to the engine. */
class PartitionPruningTest {
  @TempDir static Path dir;
  static final CountingStore STORE = new CountingStore();
  static Catalog catalog;
  static Path events;

  @BeforeAll
  static void setUp() throws Exception {
    events = dir.resolve("events");
    Fixtures.writeEvents(events);
    // the same data in DIRECTORY layout: 4595/2024-04-27/data_0.parquet
    Path byDirectory = dir.resolve("by_directory");
    try (var paths = Files.walk(events)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        Path rel = events.relativize(p);
        Path target = byDirectory.resolve(rel.getName(0).toString().split("=")[1])
            .resolve(rel.getName(1).toString().split("=")[1]).resolve(rel.getFileName());
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
    }
    Partition implant = Partition.of("implant_id", DataType.INT64);
    Partition date = Partition.of("date", DataType.DATE);
    catalog = Fixtures.catalog(dir, STORE,
        ParquetTable.builder("events", "events").partitioning(PartitioningScheme.HIVE, implant, date).build(),
        ParquetTable.builder("events_dir", "by_directory").partitioning(PartitioningScheme.DIRECTORY, implant, date).build(),
        FunctionTable.builder("implants", () -> Frame.fromColumns(Map.of(
            "implant_id", List.of(4595L, 4596L, 45950L), "owner", List.of("a", "b", "c")))).build());
  }

  @BeforeEach
  void reset() {
    STORE.reset();
  }

  private static long rows(Frame f) {
    try (DataFrame df = f.collect()) {
      return df.rowCount();
    }
  }

  @Test
  void equalityOnLeadingPartitionsBecomesAPrefixWithATrailingSlash() {
    long n = rows(catalog.db("db").table("events", Filter.eq("implant_id", 4595)));
    assertThat(n).isEqualTo(120);
    // only below implant_id=4595/ was listed: never the root, never implant_id=45950/
    assertThat(STORE.foldersListed).allMatch(f -> f.contains("/implant_id=4595/"));
    assertThat(STORE.filesOpened).hasSize(3).allMatch(f -> f.contains("/implant_id=4595/"));
  }

  @Test
  void bothPartitionsPinnedListsOneFolder() {
    long n = rows(catalog.db("db").table("events", Filter.eq("implant_id", 4596), Filter.eq("date", "2024-04-28")));
    assertThat(n).isEqualTo(40);
    assertThat(STORE.foldersListed).containsExactly(events + "/implant_id=4596/date=2024-04-28/");
    assertThat(STORE.filesOpened).hasSize(1);
  }

  @Test
  void otherPartitionFiltersPruneTheListingWalk() {
    long n = rows(catalog.db("db").table("events", Filter.in("implant_id", 4595, 4596), Filter.gt("date", "2024-04-28")));
    assertThat(n).isEqualTo(80);
    // the root and the two kept implants were listed, not 45950's folder
    assertThat(STORE.foldersListed).noneMatch(f -> f.contains("implant_id=45950"));
    assertThat(STORE.filesOpened).hasSize(2).allMatch(f -> f.contains("date=2024-04-29"));
  }

  @Test
  void directorySchemePrunesTheSameWay() {
    long n = rows(catalog.db("db").table("events_dir", Filter.eq("implant_id", 4595), Filter.ne("date", "2024-04-27")));
    assertThat(n).isEqualTo(80);
    assertThat(STORE.foldersListed).allMatch(f -> f.contains("/by_directory/4595/"));
    assertThat(STORE.filesOpened).hasSize(2);
    try (DataFrame df = catalog.db("db").table("events_dir", Filter.eq("implant_id", 45950)).select("implant_id", "date").unique().collect()) {
      assertThat(df.rowCount()).isEqualTo(3);
      assertThat(df.column("implant_id")).containsOnly(45950L);
    }
  }

  @Test
  void dataFiltersOpenEveryFileButPruneNothingWrongly() {
    long n = rows(catalog.db("db").table("events", Filter.lt("x", 10)));
    assertThat(n).isEqualTo(10);
    assertThat(STORE.filesOpened).hasSize(9);
  }

  @Test
  void sqlWhereClausePrunes() {
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM db.events WHERE implant_id = 4595 AND date BETWEEN '2024-04-28' AND '2024-04-29'").collect()) {
      assertThat(df.get(0, "n")).isEqualTo(80L);
    }
    assertThat(STORE.filesOpened).hasSize(2);
    assertThat(STORE.foldersListed).allMatch(f -> f.contains("/implant_id=4595/"));
  }

  @Test
  void sqlPrunesEachTableReferenceWithItsOwnPredicates() {
    STORE.reset();
    String sql = "SELECT count(*) AS n FROM db.events a JOIN db.events_dir b ON a.x = b.x"
        + " WHERE a.implant_id = 4596 AND b.date = DATE '2024-04-27' AND (a.date = '2024-04-27' OR a.date = '2024-04-28')";
    try (DataFrame df = catalog.sql(sql).collect(); DuckDb duck = new DuckDb()) {
      long expected = duck.count("SELECT count(*) FROM (" + Fixtures.eventsSql(events) + ") a JOIN ("
          + Fixtures.eventsSql(events) + ") b ON a.x = b.x WHERE a.implant_id = 4596 AND b.date = '2024-04-27'"
          + " AND (a.date = '2024-04-27' OR a.date = '2024-04-28')");
      assertThat(df.get(0, "n")).isEqualTo(expected);
    }
    // a: implant 4596 on two dates; b: three implants on 2024-04-27
    assertThat(STORE.filesOpened.stream().filter(f -> f.contains("/events/"))).hasSize(2);
    assertThat(STORE.filesOpened.stream().filter(f -> f.contains("/by_directory/"))).hasSize(3);
  }

  @Test
  void sqlPredicatesInsideOrAcrossTablesDoNotPrune() {
    String sql = "SELECT count(*) AS n FROM db.events a, db.implants i WHERE a.implant_id = i.implant_id"
        + " AND (a.implant_id = 4595 OR i.owner = 'c')";
    try (DataFrame df = catalog.sql(sql).collect()) {
      assertThat(df.get(0, "n")).isEqualTo(240L);
    }
    assertThat(STORE.filesOpened).hasSize(9);
  }

  @Test
  void framePredicatesArePushedThroughSelectWithColumnsAndJoins() {
    Frame f = catalog.db("db").table("events")
        .withColumns(col("x").times(2).as("x2"))
        .join(catalog.db("db").table("implants"), "implant_id")
        .select("implant_id", "date", "x2", "owner")
        .filter(col("implant_id").eq(4596).and(col("date").eq("2024-04-28")));
    try (DataFrame df = f.collect()) {
      assertThat(df.rowCount()).isEqualTo(40);
      assertThat(df.column("owner")).containsOnly("b");
    }
    assertThat(STORE.filesOpened).hasSize(1);
    assertThat(f.explain()).contains("files=1/1").contains("pruning with");
  }

  @Test
  void predicatesAboveALimitAreNotPushedBelowIt() {
    Frame limited = catalog.db("db").table("events").sort("x").limit(5).filter(col("implant_id").eq(4596));
    try (DataFrame df = limited.collect()) {
      // of the first five x (0..4), x = 1 and x = 4 belong to implant 4596
      assertThat(df.column("x")).containsExactlyInAnyOrder(1L, 4L);
    }
    assertThat(STORE.filesOpened).hasSize(9);
  }

  @Test
  void predicatesOnTheNullableSideOfAnOuterJoinAreNotPushed() {
    Frame left = catalog.db("db").table("implants");
    Frame f = left.join(catalog.db("db").table("events"), JoinType.LEFT, "implant_id")
        .filter(col("x").isNull().or(col("implant_id").eq(45950)));
    try (DataFrame df = f.collect()) {
      assertThat(df.rowCount()).isEqualTo(120);
    }
    assertThat(STORE.filesOpened).hasSize(9);
  }

  @Test
  void aFilterMatchingNoPartitionReturnsAnEmptyFrameWithTheSchema() {
    try (DataFrame df = catalog.db("db").table("events", Filter.eq("implant_id", 1)).collect()) {
      assertThat(df.rowCount()).isZero();
      assertThat(df.columnNames()).containsExactly("x", "name", "v", "tags", "d", "implant_id", "date");
    }
    assertThat(STORE.filesOpened).isEmpty();
    assertThat(STORE.localCopiesUsed).hasSize(1); // one footer read (in place) for the schema
  }
}
