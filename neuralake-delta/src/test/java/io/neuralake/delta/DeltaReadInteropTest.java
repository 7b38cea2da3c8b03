package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Storage;
import io.neuralake.table.ReadOptions;
import io.neuralake.testing.CountingStore;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables written by Spark + delta-spark, read by Neuralake: exactly the rows Spark reads. */
class DeltaReadInteropTest {
  @TempDir static Path dir;

  /** Background checkpoints finish before the temporary folder is deleted. */
  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }
  static final CountingStore STORE = new CountingStore();

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static Catalog catalog(DeltaTable... tables) {
    return Catalog.builder("c").root(dir.toString()).storage(Storage.builder().store("file", STORE).build())
        .database("db", tables).build();
  }

  private static List<String> ours(Frame f) {
    try (DataFrame df = f.collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  private static List<String> spark(String table, String where) {
    return SparkDelta.rows("SELECT * FROM delta.`" + path(table) + "`" + (where.isEmpty() ? "" : " WHERE " + where));
  }

  @BeforeAll
  static void writeTables() {
    // partitioned, several commits, a checkpoint every 3 commits
    SparkDelta.sql("CREATE TABLE delta.`" + path("sales") + "` (id BIGINT, item STRING, price DOUBLE, day DATE)"
        + " USING delta PARTITIONED BY (day) TBLPROPERTIES ('delta.checkpointInterval' = '3')");
    for (int d = 1; d <= 5; d++) {
      SparkDelta.sql("INSERT INTO delta.`" + path("sales") + "` SELECT id, concat('item', id % 7), id * 1.5,"
          + " DATE '2024-01-0" + d + "' FROM range(" + (d * 100) + ", " + (d * 100 + 50) + ", 1, 1)"); // one file per commit
    }
  }

  @Test
  void partitionedTableWithCheckpointsReadsLikeSpark() {
    DeltaTable sales = DeltaTable.builder("sales", "sales").build();
    Catalog c = catalog(sales);
    assertThat(ours(c.db("db").table("sales"))).isEqualTo(spark("sales", "")).hasSize(250);
    assertThat(dir.resolve("sales/_delta_log/00000000000000000003.checkpoint.parquet")).exists();
  }

  @Test
  void partitionFiltersPruneAndDataFiltersSkipFiles() {
    DeltaTable sales = DeltaTable.builder("sales", "sales").build();
    Catalog c = catalog(sales);
    STORE.reset();
    assertThat(ours(c.db("db").table("sales", Filter.eq("day", "2024-01-03"))))
        .isEqualTo(spark("sales", "day = DATE '2024-01-03'")).hasSize(50);
    assertThat(STORE.dataFilesOpened()).hasSize(1);
    STORE.reset();
    // each day's ids live in one file: min/max statistics skip days 1 to 3
    assertThat(ours(c.db("db").table("sales", Filter.ge("id", 410)))).isEqualTo(spark("sales", "id >= 410")).hasSize(90);
    assertThat(STORE.dataFilesOpened()).hasSize(2);
    STORE.reset();
    assertThat(ours(c.sql("SELECT * FROM db.sales WHERE id < 120 OR id >= 540")))
        .isEqualTo(spark("sales", "id < 120 OR id >= 540")).hasSize(30);
    assertThat(STORE.dataFilesOpened()).hasSize(2);
  }

  @Test
  void timeTravelByVersionAndTimestamp() {
    DeltaTable sales = DeltaTable.builder("sales", "sales").build();
    Catalog c = catalog(sales);
    assertThat(ours(c.db("db").table("sales", ReadOptions.builder().version(2).build())))
        .isEqualTo(SparkDelta.rows("SELECT * FROM delta.`" + path("sales") + "` VERSION AS OF 2")).hasSize(100);
    long v3 = (Long) SparkDelta.session().sql("DESCRIBE HISTORY delta.`" + path("sales") + "`")
        .where("version = 3").select("timestamp").collectAsList().get(0).getTimestamp(0).getTime();
    assertThat(ours(c.db("db").table("sales", ReadOptions.builder().timestamp(Instant.ofEpochMilli(v3)).build())))
        .hasSize(150);
    assertThatThrownBy(() -> c.db("db").table("sales", ReadOptions.builder().version(99).build()).collect())
        .hasMessageContaining("sales").hasMessageContaining("99");
    assertThatThrownBy(() -> c.db("db").table("sales", ReadOptions.builder().timestamp(Instant.EPOCH).build()).collect())
        .hasMessageContaining("sales");
  }

  @Test
  void deletionVectorsAndUpdates() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("dv") + "` (id BIGINT, v STRING) USING delta"
        + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    SparkDelta.sql("INSERT INTO delta.`" + path("dv") + "` SELECT id, concat('v', id) FROM range(0, 1000)");
    SparkDelta.sql("DELETE FROM delta.`" + path("dv") + "` WHERE id % 3 = 0");
    SparkDelta.sql("UPDATE delta.`" + path("dv") + "` SET v = 'updated' WHERE id % 5 = 0");
    Catalog c = catalog(DeltaTable.builder("dv", "dv").build());
    List<String> expected = spark("dv", "");
    assertThat(ours(c.db("db").table("dv"))).isEqualTo(expected).hasSize(666);
    assertThat(c.db("db").table("dv").explain()).contains("deletion vectors");
  }

  @Test
  void columnMappingRenamesAndDrops() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("cm") + "` (id BIGINT, old_name STRING, gone INT) USING delta"
        + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5')");
    SparkDelta.sql("INSERT INTO delta.`" + path("cm") + "` VALUES (1, 'a', 10), (2, 'b', 20)");
    SparkDelta.sql("ALTER TABLE delta.`" + path("cm") + "` RENAME COLUMN old_name TO new_name");
    SparkDelta.sql("ALTER TABLE delta.`" + path("cm") + "` DROP COLUMN gone");
    SparkDelta.sql("INSERT INTO delta.`" + path("cm") + "` VALUES (3, 'c')");
    Catalog c = catalog(DeltaTable.builder("cm", "cm").build());
    try (DataFrame df = c.db("db").table("cm").collect()) {
      assertThat(df.columnNames()).containsExactly("id", "new_name");
      assertThat(SparkDelta.Canonical.rows(df)).isEqualTo(spark("cm", "")).containsExactly("1 | a", "2 | b", "3 | c");
    }
  }

  @Test
  void schemaChangesAcrossVersions() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("evolve") + "` (id BIGINT) USING delta");
    SparkDelta.sql("INSERT INTO delta.`" + path("evolve") + "` VALUES (1), (2)");
    SparkDelta.sql("ALTER TABLE delta.`" + path("evolve") + "` ADD COLUMNS (note STRING)");
    SparkDelta.sql("INSERT INTO delta.`" + path("evolve") + "` VALUES (3, 'three')");
    Catalog c = catalog(DeltaTable.builder("evolve", "evolve").build());
    assertThat(ours(c.db("db").table("evolve"))).isEqualTo(spark("evolve", "")).contains("1 | null", "3 | three");
    try (DataFrame old = c.db("db").table("evolve", ReadOptions.builder().version(1).build()).collect()) {
      assertThat(old.columnNames()).containsExactly("id");
    }
  }

  @Test
  void typeWidening() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("widen") + "` (id INT, x SHORT) USING delta"
        + " TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
    SparkDelta.sql("INSERT INTO delta.`" + path("widen") + "` VALUES (1, 10)");
    SparkDelta.sql("ALTER TABLE delta.`" + path("widen") + "` ALTER COLUMN x TYPE INT");
    SparkDelta.sql("ALTER TABLE delta.`" + path("widen") + "` ALTER COLUMN id TYPE BIGINT");
    SparkDelta.sql("INSERT INTO delta.`" + path("widen") + "` VALUES (5000000000, 100000)");
    Catalog c = catalog(DeltaTable.builder("widen", "widen").build());
    try (DataFrame df = c.db("db").table("widen").collect()) {
      assertThat(df.schema().field("id").type()).isEqualTo(DataType.INT64);
      assertThat(df.schema().field("x").type()).isEqualTo(DataType.INT32);
      assertThat(SparkDelta.Canonical.rows(df)).isEqualTo(spark("widen", ""));
    }
  }

  @Test
  void everyTypeNestedTypesAndTimestamps() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("types") + "` (b BOOLEAN, by TINYINT, sh SMALLINT, i INT, l BIGINT,"
        + " f FLOAT, d DOUBLE, dec DECIMAL(12, 3), s STRING, bin BINARY, dt DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ,"
        + " st STRUCT<a: INT, b: STRING>, arr ARRAY<BIGINT>, m MAP<STRING, INT>, nested ARRAY<STRUCT<x: DOUBLE>>) USING delta");
    SparkDelta.sql("INSERT INTO delta.`" + path("types") + "` VALUES (true, 1, 2, 3, 4, 1.5, 2.25, 1234.567, 'text',"
        + " X'CAFE', DATE '2024-02-29', TIMESTAMP '2024-02-29 12:34:56.789', TIMESTAMP_NTZ '2024-02-29 12:34:56.789',"
        + " named_struct('a', 7, 'b', 'seven'), array(1, 2, 3), map('k', 1), array(named_struct('x', 0.5))),"
        + " (null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)");
    Catalog c = catalog(DeltaTable.builder("types", "types").build());
    try (DataFrame df = c.db("db").table("types").collect()) {
      assertThat(df.schema().field("ts").type()).isEqualTo(DataType.TIMESTAMP_TZ);
      assertThat(df.schema().field("ntz").type()).isEqualTo(DataType.TIMESTAMP);
      assertThat(df.schema().field("dec").type()).isEqualTo(DataType.decimal(12, 3));
      assertThat(SparkDelta.Canonical.rows(df)).isEqualTo(spark("types", ""));
    }
  }

  @Test
  void specialCharactersInPartitionValuesAndPaths() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("odd table") + "` (id INT, p STRING) USING delta PARTITIONED BY (p)");
    SparkDelta.sql("INSERT INTO delta.`" + path("odd table") + "` VALUES (1, 'a b'), (2, 'c/d=e'), (3, '100%'),"
        + " (4, 'ünï'), (5, null), (6, '')");
    Catalog c = catalog(DeltaTable.builder("odd", "odd table").build());
    assertThat(ours(c.db("db").table("odd"))).isEqualTo(spark("odd table", "")).hasSize(6);
    assertThat(ours(c.db("db").table("odd", Filter.eq("p", "c/d=e")))).containsExactly("2 | c/d=e");
  }

  @Test
  void declaredSchemaWinsUniqueAndExtraColumns() {
    DeltaTable declared = DeltaTable.builder("sales", "sales")
        .schema(Schema.of(Field.of("id", DataType.decimal(20, 0)), Field.of("price", DataType.FLOAT64),
            Field.of("day", DataType.DATE), Field.of("comment", DataType.STRING)))
        .extraColumn("month", Expr.call("month", Expr.col("day")))
        .uniqueColumns("day")
        .build();
    Catalog c = catalog(declared);
    try (DataFrame df = c.db("db").table("sales").collect()) {
      assertThat(df.columnNames()).containsExactly("id", "price", "day", "comment", "month");
      assertThat(df.rowCount()).isEqualTo(5); // one row per day
      assertThat(df.column("comment")).containsOnlyNulls();
      assertThat(df.column("month")).containsOnly(1L);
    }
    DeltaTable wrong = DeltaTable.builder("sales", "sales")
        .schema(Schema.of(Field.of("item", DataType.INT64))).build();
    assertThatThrownBy(() -> catalog(wrong).db("db").table("sales").collect())
        .hasMessageContaining("column 'item' is declared as int64 but the table stores string");
  }

  @Test
  void badTablesGiveClearErrors() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("not_delta"));
    Catalog c = catalog(DeltaTable.builder("nope", "not_delta").build());
    assertThatThrownBy(() -> c.db("db").table("nope").collect())
        .hasMessageContaining("table 'nope': no Delta table at").hasMessageContaining("not_delta");

    SparkDelta.sql("CREATE TABLE delta.`" + path("broken") + "` (id INT) USING delta");
    SparkDelta.sql("INSERT INTO delta.`" + path("broken") + "` VALUES (1)");
    try (var files = java.nio.file.Files.list(dir.resolve("broken"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        java.nio.file.Files.delete(f);
      }
    }
    Catalog b = catalog(DeltaTable.builder("broken", "broken").build());
    assertThatThrownBy(() -> b.db("db").table("broken").collect())
        .hasMessageContaining("table 'broken'").hasMessageContaining("is missing");

    SparkDelta.sql("CREATE TABLE delta.`" + path("corrupt") + "` (id INT) USING delta");
    SparkDelta.sql("INSERT INTO delta.`" + path("corrupt") + "` VALUES (1)");
    java.nio.file.Files.writeString(dir.resolve("corrupt/_delta_log/00000000000000000001.json"), "{not json");
    Catalog k = catalog(DeltaTable.builder("corrupt", "corrupt").build());
    assertThatThrownBy(() -> k.db("db").table("corrupt").collect()).hasMessageContaining("corrupt");
  }

  @Test
  void historyListsEachCommit() throws Exception {
    Catalog c = catalog(DeltaTable.builder("sales", "sales").build());
    List<Commit> history = DeltaHistory.of((DeltaTable) c.db("db").definition("sales"), c.context());
    assertThat(history).hasSize(6);
    assertThat(history.get(0).operation()).isEqualTo("CREATE TABLE");
    assertThat(history.get(1).operation()).isEqualTo("WRITE");
    assertThat(history.get(1).filesAdded()).isEqualTo(1);
    assertThat(history.get(1).rows()).hasValue(50);
  }
}
