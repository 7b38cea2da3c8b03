package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.frame.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code INSERT INTO} and {@code INSERT OVERWRITE} a Delta table of the catalog: executors write the
 * files, the driver commits them once through Neuralake's Delta writer. Each Spark job is one version; delta-spark and the
 * embedded engine read back exactly the rows inserted; a job that fails commits nothing and leaves
 * no file behind; Neuralake's own appends interleave with Spark's on contiguous versions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NeuralakeWriteTest {
  private static final String INSERTED = "SELECT id, concat('site-', CAST(id %% 7 AS STRING)) AS site, id * 0.5 AS value,"
      + " CAST(id / 100.0 AS DECIMAL(10, 2)) AS amount,"
      + " timestamp_seconds(1714300000 + id) AS at, array(CAST(id %% 3 AS STRING), 'x') AS tags,"
      + " date_add(DATE'2024-04-28', CAST(id %% 5 AS INT)) AS day FROM range(%d, %d, 1, 4)";

  private static SparkSession spark;
  private static Catalog catalog;
  private static DeltaTable readings;
  private static Path folder;

  @BeforeAll
  static void createTheTable() {
    spark = SparkTestLake.spark();
    catalog = SparkTestLake.catalog();
    readings = (DeltaTable) catalog.db("sink").definition("readings");
    readings.create(catalog.context());
    folder = SparkTestLake.root().resolve("readings");
  }

  private static long version() {
    return spark.sql("DESCRIBE HISTORY delta.`" + folder + "`").selectExpr("max(version)").collectAsList().get(0).getLong(0);
  }

  private static List<String> dataFiles() throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .map(p -> folder.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  @Order(1)
  void anInsertIsOneCommitOfFilesWrittenByTheExecutors() throws IOException {
    long before = version();
    spark.sql("INSERT INTO lake.sink.readings " + INSERTED.formatted(0, 10_000)).collect();

    assertThat(version()).isEqualTo(before + 1);
    List<String> operations = spark.sql("DESCRIBE HISTORY delta.`" + folder + "`").where("version = " + (before + 1))
        .selectExpr("operation", "engineInfo").collectAsList().stream().map(r -> r.getString(0) + " by " + r.getString(1))
        .toList();
    assertThat(operations).singleElement().satisfies(op -> assertThat(op).startsWith("WRITE by ").endsWith("Neuralake/0.1"));
    // 4 tasks, each writing a file per day it saw: files in Delta's partition folders
    assertThat(dataFiles()).hasSize(20).allMatch(f -> f.matches("day=2024-0[45]-[0-9]{2}/part-.*\\.parquet"));

    String query = "SELECT id, site, value, amount, at, tags, day FROM %s";
    List<String> inserted = SparkTestLake.sparkRows(INSERTED.formatted(0, 10_000));
    assertThat(SparkTestLake.sparkRows(query.formatted("delta.`" + folder + "`"))).hasSize(10_000).isEqualTo(inserted);
    assertThat(SparkTestLake.sparkRows(query.formatted("lake.sink.readings"))).isEqualTo(inserted);
    assertThat(SparkTestLake.lakeRows(catalog.sql("SELECT day, count(*) FROM sink.readings GROUP BY day")))
        .containsExactlyElementsOf(SparkTestLake.sparkRows("SELECT day, count(*) FROM (" + INSERTED.formatted(0, 10_000)
            + ") GROUP BY day"));
  }

  @Test
  @Order(2)
  void writtenFilesCarryStatisticsSoReadsSkipThem() {
    // each file's min and max id are in the log: a narrow id range reads few files
    List<String> skipped = SparkTestLake.sparkRows("SELECT count(*) FROM lake.sink.readings WHERE id BETWEEN 100 AND 120");
    assertThat(skipped).containsExactly("21");
    List<String> stats = SparkTestLake.sparkRows("SELECT add.stats FROM json.`" + folder + "/_delta_log/*.json`"
        + " WHERE add IS NOT NULL");
    assertThat(stats).isNotEmpty().allMatch(s -> s.contains("\"minValues\"") && s.contains("\"id\""));
  }

  @Test
  @Order(3)
  void sparksAndNeuralakesAppendsInterleaveOnContiguousVersions() {
    long before = version();
    spark.sql("INSERT INTO lake.sink.readings " + INSERTED.formatted(10_000, 10_010)).collect();
    readings.append(Frame.fromRows(List.of(Map.of("id", 20_000L, "site", "site-0", "value", 1.0,
        "day", java.time.LocalDate.of(2024, 6, 1))))).context(catalog.context()).commit();
    spark.sql("INSERT INTO lake.sink.readings VALUES (20001, 'site-1', 2.0, 3.25, TIMESTAMP'2024-06-01 10:00:00',"
        + " array('y'), DATE'2024-06-01')").collect();

    // a job without rows adds no version
    spark.sql("INSERT INTO lake.sink.readings " + INSERTED.formatted(0, 10) + " LIMIT 0").collect();
    assertThat(version()).isEqualTo(before + 3);
    assertThat(SparkTestLake.sparkRows("SELECT count(*), max(id) FROM delta.`" + folder + "`"))
        .containsExactly("10012 | 20001");
    assertThat(SparkTestLake.sparkRows("SELECT id, amount, tags FROM lake.sink.readings WHERE day = DATE'2024-06-01'"))
        .containsExactly("20000 | null | null", "20001 | 3.25 | ArraySeq(y)");
  }

  @Test
  @Order(4)
  void aJobThatBreaksARowCheckCommitsNothingAndLeavesNoFile() throws IOException {
    long before = version();
    List<String> files = dataFiles();
    assertThatThrownBy(() -> spark.sql("INSERT INTO lake.sink.readings SELECT id, site, -value AS value, amount, at,"
        + " tags, day FROM (" + INSERTED.formatted(1, 1_000) + ")").collect())
        .hasStackTraceContaining("value_not_negative");
    assertThat(version()).isEqualTo(before);
    assertThat(dataFiles()).isEqualTo(files);
  }

  @Test
  @Order(5)
  void tablesThatCannotBeWrittenSaySo() {
    assertThatThrownBy(() -> spark.sql("INSERT INTO lake.bci.spikes SELECT * FROM lake.bci.spikes LIMIT 1").collect())
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("lake.bci.spikes");
    assertThatThrownBy(() -> spark.sql("INSERT INTO lake.sink.readings SELECT 1").collect())
        .isInstanceOf(AnalysisException.class);
  }

  private static List<String> countsByDay(String table) {
    return SparkTestLake.sparkRows("SELECT day, count(*), min(id) FROM " + table + " GROUP BY day");
  }

  @Test
  @Order(6)
  void anOverwriteReplacesItsPartitionsInTheSameCommitThatAddsTheRows() throws IOException {
    String delta = "delta.`" + folder + "`";
    List<String> before = countsByDay(delta);
    long version = version();
    String rows = "SELECT id, site, value, amount, at, tags FROM (" + INSERTED.formatted(50_000, 50_100) + ")";
    spark.sql("INSERT OVERWRITE lake.sink.readings PARTITION (day = '2024-04-28') " + rows).collect();
    assertThat(version()).isEqualTo(version + 1);
    List<String> expected = new java.util.ArrayList<>(before.stream().filter(r -> !r.startsWith("2024-04-28 ")).toList());
    expected.add("2024-04-28 | 100 | 50000");
    expected.sort(null);
    assertThat(countsByDay(delta)).isEqualTo(expected);
    assertThat(countsByDay("lake.sink.readings")).isEqualTo(expected);

    // REPLACE WHERE: rows outside the replaced partitions fail the commit, which leaves nothing behind
    List<String> files = dataFiles();
    assertThatThrownBy(() -> spark.sql("INSERT INTO lake.sink.readings REPLACE WHERE day = DATE'2024-04-29' "
        + INSERTED.formatted(60_000, 60_010)).collect())
        .hasStackTraceContaining("overwrite data must lie inside day = 2024-04-29");
    assertThat(version()).isEqualTo(version + 1);
    assertThat(dataFiles()).isEqualTo(files);
    assertThatThrownBy(() -> spark.sql("INSERT INTO lake.sink.readings REPLACE WHERE id > 5 "
        + INSERTED.formatted(60_000, 60_010)).collect())
        .isInstanceOf(AnalysisException.class).hasMessageContaining("overwrite filters must be on partition columns (day)");

    // no rows: the partition is emptied
    spark.sql("INSERT OVERWRITE lake.sink.readings PARTITION (day = '2024-04-29') " + rows + " LIMIT 0").collect();
    assertThat(version()).isEqualTo(version + 2);
    assertThat(countsByDay(delta)).isEqualTo(expected.stream().filter(r -> !r.startsWith("2024-04-29 ")).toList());

    // the whole table
    spark.sql("INSERT OVERWRITE lake.sink.readings " + INSERTED.formatted(0, 1_000)).collect();
    assertThat(version()).isEqualTo(version + 3);
    assertThat(SparkTestLake.sparkRows("SELECT count(*), min(id), max(id) FROM " + delta)).containsExactly("1000 | 0 | 999");
    assertThat(SparkTestLake.lakeRows(catalog.sql("SELECT count(*) FROM sink.readings"))).containsExactly("1000");
  }
}
