package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.filter.Filter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Delta table written by delta-spark, with rows deleted through deletion vectors: the connector
 * reads what delta-spark reads, at the current and at earlier versions, the deleted rows left out
 * by the executors (the driver ships each file's deleted positions with it).
 */
class DeltaInteropTest {
  private static SparkSession spark;
  private static String path;

  @BeforeAll
  static void writeWithDeltaSpark() {
    spark = SparkTestLake.spark();
    path = SparkTestLake.root().resolve("events").toString();
    if (Path.of(path, "_delta_log").toFile().isDirectory()) {
      return;
    }
    spark.sql("CREATE TABLE delta.`" + path + "` (id BIGINT, kind STRING, amount DOUBLE, day DATE)"
        + " USING delta PARTITIONED BY (kind) TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')").collect();
    // version 1: 2,000 rows in 4 files per kind
    spark.sql("INSERT INTO delta.`" + path + "` SELECT id, CASE WHEN id % 2 = 0 THEN 'click' ELSE 'view' END,"
        + " id * 0.5, date_add(DATE'2024-04-01', CAST(id % 20 AS INT)) FROM range(0, 2000, 1, 4)").collect();
    // version 2: deletion vectors on every file
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id % 3 = 0").collect();
  }

  private static String scanOf(String sql) {
    return spark.sql("EXPLAIN " + sql).collectAsList().get(0).getString(0);
  }

  @Test
  void theTableHasDeletionVectors() {
    List<String> added = spark.sql("DESCRIBE HISTORY delta.`" + path + "`").where("operation = 'DELETE'")
        .selectExpr("operationMetrics['numDeletionVectorsAdded']").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    assertThat(added).singleElement().satisfies(n -> assertThat(Long.parseLong(n)).isPositive());
  }

  @Test
  void readsEqualDeltaSparksWithDeletedRowsLeftOut() {
    String query = "SELECT id, kind, amount, day FROM %s";
    List<String> delta = SparkTestLake.sparkRows(query.formatted("delta.`" + path + "`"));
    List<String> lake = SparkTestLake.sparkRows(query.formatted("lake.interop.events"));
    assertThat(delta).hasSize(2000 - 667);
    assertThat(lake).isEqualTo(delta);
    assertThat(SparkTestLake.lakeRows(SparkTestLake.catalog().db("interop").table("events")
        .select("id", "kind", "amount", "day"))).isEqualTo(delta);
  }

  @Test
  void aFilterOnThePartitionColumnReadsOnlyItsFilesAndStillLeavesDeletedRowsOut() {
    SparkTestLake.STORE.reset();
    String query = "SELECT id, amount FROM %s WHERE kind = 'view' AND amount > 100";
    List<String> lake = SparkTestLake.sparkRows(query.formatted("lake.interop.events"));
    assertThat(lake).isNotEmpty().isEqualTo(SparkTestLake.sparkRows(query.formatted("delta.`" + path + "`")));
    assertThat(SparkTestLake.STORE.dataFilesOpened()).isNotEmpty().allMatch(f -> f.contains("kind=view/"));
    assertThat(SparkTestLake.lakeRows(SparkTestLake.catalog().db("interop").table("events",
        Filter.eq("kind", "view"), Filter.gt("amount", 100.0)).select("id", "amount"))).isEqualTo(lake);
  }

  @Test
  void earlierVersionsReadAsDeltaSparkReadsThem() {
    for (int version : new int[] {1, 2}) {
      String query = "SELECT kind, count(*), sum(amount) FROM %s VERSION AS OF " + version + " GROUP BY kind";
      assertThat(SparkTestLake.sparkRows(query.formatted("lake.interop.events")))
          .as("version %d", version)
          .isEqualTo(SparkTestLake.sparkRows(query.formatted("delta.`" + path + "`")));
    }
    assertThat(SparkTestLake.sparkRows("SELECT count(*) FROM lake.interop.events VERSION AS OF 1"))
        .containsExactly("2000");
    assertThat(scanOf("SELECT * FROM lake.interop.events VERSION AS OF 1")).contains("VERSION AS OF 1");
  }

  @Test
  void aTimestampReadsTheVersionCurrentThen() {
    java.sql.Timestamp first = spark.sql("DESCRIBE HISTORY delta.`" + path + "`").where("version = 1")
        .select("timestamp").collectAsList().get(0).getTimestamp(0);
    // the session's time zone is UTC
    String at = first.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' ');
    String query = "SELECT count(*) FROM %s TIMESTAMP AS OF '" + at + "'";
    assertThat(SparkTestLake.sparkRows(query.formatted("lake.interop.events")))
        .containsExactly("2000")
        .isEqualTo(SparkTestLake.sparkRows(query.formatted("delta.`" + path + "`")));
  }

  @Test
  void aTableWithoutVersionsRefusesTimeTravel() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> spark.sql("SELECT * FROM lake.bci.spikes VERSION AS OF 1").collect())
        .isInstanceOf(org.apache.spark.sql.AnalysisException.class)
        .hasMessageContaining("parquet table, which has no versions");
  }
}
