package io.neuralake.table;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Frame;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.Fixtures;
import io.neuralake.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets one clear message naming the table, column, value or file, and what is valid. */
class BadInputTest {
  @TempDir static Path dir;
  static Catalog catalog;

  @BeforeAll
  static void setUp() throws Exception {
    Fixtures.writeEvents(dir.resolve("events"));
    Fixtures.writeEvents(dir.resolve("bad_paths"));
    Files.createDirectories(dir.resolve("bad_paths/implant_id=notanumber/date=2024-01-01"));
    Files.copy(dir.resolve("events/implant_id=4595/date=2024-04-27/data_0.parquet"),
        dir.resolve("bad_paths/implant_id=notanumber/date=2024-01-01/data_0.parquet"));
    Files.createDirectories(dir.resolve("corrupt"));
    Files.writeString(dir.resolve("corrupt/part-0.parquet"), "this is not parquet");
    // a partitioned table with one file cut short, as an interrupted copy leaves it
    Fixtures.writeEvents(dir.resolve("truncated"));
    Path cut = dir.resolve("truncated/implant_id=4596/date=2024-04-28/data_0.parquet");
    byte[] whole = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    Partition implant = Partition.of("implant_id", DataType.INT64);
    Partition date = Partition.of("date", DataType.STRING);
    catalog = Fixtures.catalog(dir, new CountingStore(),
        ParquetTable.builder("events", "events").partitioning(PartitioningScheme.HIVE, implant, date).build(),
        ParquetTable.builder("bad_paths", "bad_paths").partitioning(PartitioningScheme.HIVE, implant, date).build(),
        ParquetTable.builder("wrong_layout", "events").partitioning(PartitioningScheme.HIVE, date, implant).build(),
        ParquetTable.builder("missing", "no/such/folder").build(),
        ParquetTable.builder("corrupt", "corrupt").build(),
        ParquetTable.builder("truncated", "truncated").partitioning(PartitioningScheme.HIVE, implant, date).build());
  }

  private static Frame events(Filter... filters) {
    return catalog.db("db").table("events", filters);
  }

  @Test
  void unknownColumnInAFilter() {
    assertThatThrownBy(() -> events(Filter.eq("nope", 1)).collect())
        .hasMessageContaining("'db.events' has no column 'nope'").hasMessageContaining("implant_id, date");
  }

  @Test
  void unknownOperator() {
    assertThatThrownBy(() -> Filter.of("x", "~=", 1))
        .hasMessageContaining("unknown filter operator '~='").hasMessageContaining("'includes any'");
  }

  @Test
  void wrongValueTypeForAPartitionColumn() {
    assertThatThrownBy(() -> events(Filter.eq("implant_id", "4595")).collect())
        .hasMessageContaining("'4595' (a string) does not fit column 'implant_id' of type int64")
        .hasMessageContaining("Filter.eq(\"implant_id\", 42)");
    assertThatThrownBy(() -> events(Filter.eq("date", 20240428)).collect())
        .hasMessageContaining("does not fit column 'date' of type string");
  }

  @Test
  void wrongValueTypeForADataColumn() {
    assertThatThrownBy(() -> events(Filter.gt("x", "ten")).collect())
        .hasMessageContaining("'ten' (a string) does not fit column 'x' of type int64");
    assertThatThrownBy(() -> events(Filter.includes("x", 1)).collect())
        .hasMessageContaining("needs a list column, but 'x' is int64");
    assertThatThrownBy(() -> events(Filter.contains("x", "1")).collect())
        .hasMessageContaining("'contains', which needs a string column");
  }

  @Test
  void filterShapeMistakes() {
    assertThatThrownBy(() -> Filter.in("x", (Object) null)).hasMessageContaining("got a null in its list");
    assertThatThrownBy(() -> Filter.eq("x", java.util.List.of(1, 2))).hasMessageContaining("use 'in' for a list");
    assertThatThrownBy(() -> Filter.parse("x >> 3")).hasMessageContaining("cannot read the filter 'x >> 3'");
    assertThatThrownBy(() -> Filter.parse("x in [1, 2")).hasMessageContaining("a list must end with ]");
  }

  @Test
  void partitionPathThatDoesNotParse() {
    assertThatThrownBy(() -> catalog.db("db").table("bad_paths").collect())
        .hasMessageContaining("the partition path")
        .hasMessageContaining("implant_id=notanumber")
        .hasMessageContaining("is not a valid int64 for partition column 'implant_id'");
  }

  @Test
  void partitionPathInTheWrongLayout() {
    assertThatThrownBy(() -> catalog.db("db").table("wrong_layout").collect())
        .hasMessageContaining("does not match the declared HIVE partitioning")
        .hasMessageContaining("expected a folder named 'date=<str>'");
  }

  @Test
  void missingLocation() {
    assertThatThrownBy(() -> catalog.db("db").table("missing").collect())
        .hasMessageContaining("db.missing").hasMessageContaining("no Parquet files at").hasMessageContaining("no/such/folder");
  }

  @Test
  void unreadableFile() {
    assertThatThrownBy(() -> catalog.db("db").table("corrupt").collect())
        .hasMessageContaining("table db.corrupt: the file " + dir.resolve("corrupt/part-0.parquet") + " cannot be read")
        .hasMessageContaining("rewrite or remove it");
    assertThatThrownBy(() -> catalog.db("db").table("truncated").agg(col("x").sum().as("s")).collect())
        .hasMessageContaining("table db.truncated: the file "
            + dir.resolve("truncated/implant_id=4596/date=2024-04-28/data_0.parquet") + " cannot be read");
    assertThatThrownBy(() -> catalog.sql("SELECT count(*) FROM db.events e JOIN db.truncated t ON e.x = t.x").collect())
        .hasMessageContaining("table db.truncated: the file ");
  }

  @Test
  void unknownColumnsInFramesAndJoins() {
    assertThatThrownBy(() -> events().select("nope").collect()).hasMessageContaining("nope");
    assertThatThrownBy(() -> events().join(events(), "nope").collect())
        .hasMessageContaining("join key 'nope' is not a column of the left frame");
    assertThatThrownBy(() -> catalog.db("db").table("events", ReadOptions.builder().columns("x", "nope").build()).collect())
        .hasMessageContaining("db.events has no column 'nope'");
  }

  @Test
  void engineErrorsAreOneReadableLine() {
    assertThatThrownBy(() -> events().filter(col("name").gt(col("tags"))).collect())
        .hasMessageStartingWith("query failed:");
  }

  @Test
  void validRequestsStillWork() {
    assertThat(events(Filter.eq("implant_id", 4595L), Filter.eq("date", "2024-04-27")).count()).isEqualTo(40);
  }
}
