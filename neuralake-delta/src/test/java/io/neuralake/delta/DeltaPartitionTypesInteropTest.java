package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.engine.Engine;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.testing.CountingStore;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables partitioned on every type Delta allows for partition columns (decimals of any precision,
 * dates, timestamps with and without time zone, binary, booleans, and nulls of each), written by
 * Spark + delta-spark: read, filtered and pruned exactly as Spark reads them; and the same types
 * as Hive-style folders of a Parquet table, as Spark writes them.
 */
class DeltaPartitionTypesInteropTest {
  @TempDir static Path dir;
  static final CountingStore STORE = new CountingStore();

  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

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

  /**
   * Each row in its own partition of every column, so pruning shows in the files opened. Binary
   * values are UTF-8 text: Spark writes a binary partition value as its bytes decoded as text, so
   * other bytes (a NUL, invalid UTF-8) cannot make a folder or survive the trip.
   */
  private static final String ROWS = " VALUES"
      + " (1, 1.50000, 12345678901234567890.1234567891, DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00',"
      + "  TIMESTAMP_NTZ '2024-01-01 10:00:00', X'C3BC', true),"
      + " (2, -0.00001, -1.0000000000, DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.123456',"
      + "  TIMESTAMP_NTZ '2024-02-29 23:59:59.123456', X'6162', false),"
      + " (3, 9999999.99999, 0.0000000000, DATE '1969-12-31', TIMESTAMP '1969-12-31 23:59:59',"
      + "  TIMESTAMP_NTZ '1969-12-31 23:59:59', X'', true),"
      + " (4, null, null, null, null, null, null, null)";

  @BeforeAll
  static void writeTables() {
    String columns = " (id INT, dec DECIMAL(12, 5), big DECIMAL(38, 10), d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ,"
        + " bin BINARY, flag BOOLEAN) USING delta";
    for (String p : List.of("dec", "big", "d", "ts", "ntz", "bin", "flag")) {
      SparkDelta.sql("CREATE TABLE delta.`" + path("by_" + p) + "`" + columns + " PARTITIONED BY (" + p + ")");
      SparkDelta.sql("INSERT INTO delta.`" + path("by_" + p) + "`" + ROWS);
    }
    // all of them at once, under column mapping (partition folders then have random names)
    SparkDelta.sql("CREATE TABLE delta.`" + path("all_mapped") + "`" + columns
        + " PARTITIONED BY (dec, big, d, ts, ntz, bin, flag) TBLPROPERTIES ('delta.columnMapping.mode' = 'name',"
        + " 'delta.checkpointInterval' = '2')");
    SparkDelta.sql("INSERT INTO delta.`" + path("all_mapped") + "`" + ROWS);
    SparkDelta.sql("INSERT INTO delta.`" + path("all_mapped") + "` VALUES (5, 1.5, 0.5, DATE '2024-01-01',"
        + " TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP_NTZ '2024-01-01 10:00:00', X'C3BC', true)");
    SparkDelta.sql("ALTER TABLE delta.`" + path("all_mapped") + "` RENAME COLUMN dec TO amount");
  }

  @Test
  void everyPartitionTypeReadsLikeSpark() {
    for (String p : List.of("dec", "big", "d", "ts", "ntz", "bin", "flag")) {
      Catalog c = catalog(DeltaTable.builder("t", "by_" + p).build());
      assertThat(ours(c.db("db").table("t"))).as("partitioned by " + p).isEqualTo(spark("by_" + p, "")).hasSize(4);
    }
    Catalog c = catalog(DeltaTable.builder("t", "by_dec").build());
    try (DataFrame df = c.db("db").table("t").collect()) {
      assertThat(df.schema().field("dec").type()).isEqualTo(DataType.decimal(12, 5));
    }
  }

  @Test
  void columnMappingWithEveryPartitionTypeAndACheckpoint() {
    Catalog c = catalog(DeltaTable.builder("t", "all_mapped").build());
    assertThat(ours(c.db("db").table("t"))).isEqualTo(spark("all_mapped", "")).hasSize(5);
    assertThat(ours(c.db("db").table("t", Filter.eq("amount", new BigDecimal("1.5")))))
        .isEqualTo(spark("all_mapped", "amount = 1.5")).hasSize(2);
    assertThat(ours(c.sql("SELECT id FROM db.t WHERE amount IS NULL"))).containsExactly("4");
  }

  @Test
  void filtersOnEachPartitionTypePruneLikeSpark() {
    check("by_dec", Filter.eq("dec", new BigDecimal("1.5")), "dec = 1.5", 1);
    check("by_dec", Filter.lt("dec", 0), "dec < 0", 1);
    check("by_dec", Filter.gt("dec", 1.5), "dec > 1.5", 1);
    check("by_big", Filter.eq("big", new BigDecimal("12345678901234567890.1234567891")),
        "big = 12345678901234567890.1234567891", 1);
    check("by_big", Filter.ge("big", new BigDecimal("-1")), "big >= -1", 3);
    check("by_d", Filter.in("d", List.of("2024-02-29", LocalDate.of(1969, 12, 31))),
        "d IN (DATE '2024-02-29', DATE '1969-12-31')", 2);
    check("by_d", Filter.notIn("d", List.of("2024-01-01")), "d NOT IN (DATE '2024-01-01')", 2);
    check("by_ts", Filter.eq("ts", Instant.parse("2024-02-29T23:59:59.123456Z")),
        "ts = TIMESTAMP '2024-02-29 23:59:59.123456'", 1);
    check("by_ts", Filter.lt("ts", "1970-01-01T00:00:00Z"), "ts < TIMESTAMP '1970-01-01 00:00:00'", 1);
    check("by_ntz", Filter.eq("ntz", LocalDateTime.of(2024, 1, 1, 10, 0)),
        "ntz = TIMESTAMP_NTZ '2024-01-01 10:00:00'", 1);
    check("by_bin", Filter.eq("bin", new byte[] {(byte) 0xC3, (byte) 0xBC}), "bin = X'C3BC'", 1);
    check("by_bin", Filter.in("bin", List.of("ab".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {1})),
        "bin IN (X'6162', X'01')", 1);
    check("by_flag", Filter.eq("flag", true), "flag", 2);
    check("by_flag", Filter.ne("flag", true), "flag <> true", 1);
  }

  @Test
  void nullPartitionsOfEveryTypeMatchIsNull() {
    for (String p : List.of("dec", "big", "d", "ts", "ntz", "bin", "flag")) {
      Catalog c = catalog(DeltaTable.builder("t", "by_" + p).build());
      String table = "delta.`" + path("by_" + p) + "`";
      // Spark stores an empty binary partition value as null, as it does an empty string
      assertThat(ours(c.sql("SELECT id FROM db.t WHERE " + p + " IS NULL")))
          .as(p).isEqualTo(SparkDelta.rows("SELECT id FROM " + table + " WHERE " + p + " IS NULL")).contains("4");
      assertThat(ours(c.sql("SELECT count(*) FROM db.t WHERE " + p + " IS NOT NULL")))
          .as(p).isEqualTo(SparkDelta.rows("SELECT count(*) FROM " + table + " WHERE " + p + " IS NOT NULL"));
    }
  }

  @Test
  void sqlPredicatesOnPartitionColumnsPrune() {
    Catalog c = catalog(DeltaTable.builder("t", "by_dec").build());
    STORE.reset();
    assertThat(ours(c.sql("SELECT id FROM db.t WHERE dec = 9999999.99999"))).containsExactly("3");
    assertThat(STORE.dataFilesOpened()).hasSize(1);
    Catalog d = catalog(DeltaTable.builder("t", "by_d").build());
    STORE.reset();
    assertThat(ours(d.sql("SELECT id FROM db.t WHERE d >= DATE '2024-01-01'"))).containsExactlyInAnyOrder("1", "2");
    assertThat(STORE.dataFilesOpened()).hasSize(2);
  }

  @Test
  void ourWriterPartitionsByEveryTypeAndSparkReadsIt() {
    Catalog c = catalog(DeltaTable.builder("t", "by_dec").build());
    Frame rows = c.db("db").table("t");
    DeltaTable copy = DeltaTable.builder("copy", "written_by_us").schema(rows.schema())
        .partitionedBy("dec", "big", "d", "ts", "ntz", "bin", "flag").build();
    LakeContext context = new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
    copy.create(context);
    copy.append(rows).context(context).commit();
    assertThat(SparkDelta.rows("SELECT * FROM delta.`" + path("written_by_us") + "`")).isEqualTo(spark("by_dec", ""));
    assertThat(ours(catalog(DeltaTable.builder("t", "written_by_us").build()).db("db").table("t")))
        .isEqualTo(spark("by_dec", ""));
  }

  @Test
  void hivePartitionedParquetOfEveryTypeWrittenBySpark() {
    // Spark's own folder spellings: decimals at their scale, timestamps with escaped colons
    SparkDelta.session().sql("SELECT * FROM delta.`" + path("by_dec") + "`").write()
        .partitionBy("dec", "d", "ntz", "flag").parquet(path("hive"));
    ParquetTable hive = ParquetTable.builder("hive", "hive/").partitioning(PartitioningScheme.HIVE,
        Partition.of("dec", DataType.decimal(12, 5)), Partition.of("d", DataType.DATE),
        Partition.of("ntz", DataType.TIMESTAMP), Partition.of("flag", DataType.BOOLEAN)).build();
    Catalog c = Catalog.builder("c").root(dir.toString()).storage(Storage.builder().store("file", STORE).build())
        .database("db", hive).build();
    // Spark's partition discovery would infer the folders' types (a string for ntz): the rows it wrote are the answer
    String written = "SELECT id, big, bin, dec, d, ntz, flag FROM delta.`" + path("by_dec") + "`";
    assertThat(ours(c.sql("SELECT id, big, bin, dec, d, ntz, flag FROM db.hive"))).isEqualTo(SparkDelta.rows(written))
        .hasSize(4);
    STORE.reset();
    assertThat(ours(c.db("db").table("hive", Filter.eq("dec", 9999999.99999)).select("id"))).containsExactly("3");
    assertThat(ours(c.db("db").table("hive", Filter.eq("ntz", "2024-02-29T23:59:59.123456")).select("id")))
        .containsExactly("2");
    assertThat(ours(c.db("db").table("hive", Filter.eq("flag", false)).select("id"))).containsExactly("2");
    assertThat(STORE.dataFilesOpened()).hasSize(2); // rows 3 and 2: the flag = false read is row 2's file again
    assertThat(ours(c.sql("SELECT id FROM db.hive WHERE dec IS NULL AND flag IS NULL"))).containsExactly("4");
  }

  private static void check(String table, Filter filter, String where, int rows) {
    Catalog c = catalog(DeltaTable.builder("t", table).build());
    STORE.reset();
    assertThat(ours(c.db("db").table("t", filter))).as(table + " " + filter).isEqualTo(spark(table, where)).hasSize(rows);
    assertThat(STORE.dataFilesOpened()).as("files opened for " + table + " " + filter).hasSize(rows);
  }
}
