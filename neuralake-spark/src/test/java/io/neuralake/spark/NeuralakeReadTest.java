package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Expr;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads through the connector equal the embedded engine's answers to the same queries, with
 * filters, columns and limits pushed: what executors open is counted by the catalog's store.
 */
class NeuralakeReadTest {
  private final SparkSession spark = SparkTestLake.spark();
  private final Catalog lake = SparkTestLake.catalog();

  @BeforeEach
  void resetCounts() {
    SparkTestLake.STORE.reset();
  }

  private String explain(String sql) {
    return spark.sql("EXPLAIN EXTENDED " + sql).collectAsList().get(0).getString(0);
  }

  @Test
  void aPartitionedParquetTableReadsAsTheEmbeddedEngineReadsIt() {
    String sql = "SELECT implant_id, date, channel, CAST(sum(spike_count) AS BIGINT) AS spikes, count(*) AS n"
        + " FROM %s.bci.spikes GROUP BY implant_id, date, channel";
    List<String> fromSpark = SparkTestLake.sparkRows(sql.formatted("lake"));
    assertThat(fromSpark).hasSize(9 * 64);
    assertThat(fromSpark).isEqualTo(SparkTestLake.lakeRows(lake.sql(sql.formatted("").replace(" .bci", " bci"))));
    assertThat(SparkTestLake.STORE.dataFilesOpened()).as("every file read once, by executors").hasSize(9);
  }

  @Test
  void aggregatesArePushedIntoEachPartitionAndSparkMergesThem() {
    String sql = "SELECT implant_id, count(*), count(rate_hz), sum(spike_count), min(date), max(channel),"
        + " max(rate_hz), round(avg(spike_count), 6) FROM %s.bci.spikes WHERE channel < 40 GROUP BY implant_id";
    // Spark turns the average into a sum and a count
    assertThat(explain(sql.formatted("lake"))).contains("filters: channel < 40; aggregated per partition: count(*),"
        + " count(rate_hz), sum(spike_count), min(date), max(channel), max(rate_hz), count(spike_count)"
        + " group by implant_id]");
    List<String> fromSpark = SparkTestLake.sparkRows(sql.formatted("lake"));
    assertThat(fromSpark).hasSize(3);
    assertThat(fromSpark).isEqualTo(SparkTestLake.lakeRows(lake.sql(sql.formatted("").replace(" .bci", " bci"))));
    assertThat(SparkTestLake.sparkRows("SELECT count(*), max(ts) FROM lake.bci.spikes")).isEqualTo(
        SparkTestLake.lakeRows(lake.sql("SELECT count(*), max(ts) FROM bci.spikes")));
    // what could come out otherwise than in Spark stays with Spark: floating-point sums (their order of
    // additions varies), distinct counts, casts, arithmetic
    assertThat(explain("SELECT sum(rate_hz) FROM lake.bci.spikes")).doesNotContain("aggregated per partition");
    assertThat(explain("SELECT count(DISTINCT channel) FROM lake.bci.spikes")).doesNotContain("aggregated");
    assertThat(explain("SELECT sum(CAST(rate_hz AS INT)) FROM lake.bci.spikes")).doesNotContain("aggregated");
    assertThat(explain("SELECT sum(spike_count * 2) FROM lake.bci.spikes")).doesNotContain("aggregated");
  }

  @Test
  void scansReportTheirSizeSoSparkBroadcastsSmallTables() {
    // a scan without statistics counts as huge for Spark, which then shuffles both sides of a join
    String sql = "SELECT o.o_region, count(*) FROM lake.bci.spikes s JOIN lake.shop.orders o"
        + " ON s.channel = o.o_orderkey GROUP BY o.o_region";
    assertThat(explain(sql)).contains("BroadcastHashJoin").doesNotContain("SortMergeJoin");
    assertThat(SparkTestLake.sparkRows(sql)).isEqualTo(SparkTestLake.lakeRows(lake.sql(
        "SELECT o.o_region, count(*) FROM bci.spikes s JOIN shop.orders o ON s.channel = o.o_orderkey GROUP BY o.o_region")));
  }

  @Test
  void filtersArePushedAndPruneFilesOnTheDriver() {
    String sql = "SELECT ts, channel, spike_count, rate_hz FROM lake.bci.spikes"
        + " WHERE implant_id = 4595 AND date = '2024-04-28' AND channel < 10";
    List<String> fromSpark = SparkTestLake.sparkRows(sql);
    List<String> embedded = SparkTestLake.lakeRows(lake.db("bci").table("spikes",
        Filter.eq("implant_id", 4595L), Filter.eq("date", "2024-04-28"), Filter.lt("channel", 10))
        .select("ts", "channel", "spike_count", "rate_hz"));
    assertThat(embedded).isNotEmpty();
    assertThat(fromSpark).isEqualTo(embedded);
    assertThat(SparkTestLake.STORE.dataFilesOpened()).as("only the one partition's file is opened")
        .singleElement().asString().contains("implant_id=4595/date=2024-04-28/");

    String plan = explain(sql);
    assertThat(plan).as("the scan says what the planner kept").contains("partitions=1/1 files=1/1, 1 input partition(s)")
        .contains("filters: implant_id = 4595 AND date = '2024-04-28' AND channel < 10;");
  }

  @Test
  void anOrOfPartitionValuesAndAnInListPruneToTheirFiles() {
    String sql = "SELECT implant_id, date, count(*) FROM lake.bci.spikes"
        + " WHERE (implant_id = 4596 AND date = '2024-04-27') OR date IN ('2024-04-29') GROUP BY implant_id, date";
    List<String> rows = SparkTestLake.sparkRows(sql);
    assertThat(rows).containsExactly("4595 | 2024-04-29 | 2000", "4596 | 2024-04-27 | 2000",
        "4596 | 2024-04-29 | 2000", "5012 | 2024-04-29 | 2000");
    assertThat(SparkTestLake.STORE.dataFilesOpened()).hasSize(4);
  }

  @Test
  void filtersSparkCannotHandOverStayWithSparkAndStillHold() {
    String sql = "SELECT channel, spike_count FROM lake.bci.spikes"
        + " WHERE implant_id = 5012 AND date = '2024-04-27' AND spike_count % 7 = 0";
    List<String> fromSpark = SparkTestLake.sparkRows(sql);
    List<String> embedded = SparkTestLake.lakeRows(lake.db("bci").table("spikes",
        Filter.eq("implant_id", 5012L), Filter.eq("date", "2024-04-27"))
        .filter(Expr.sql("spike_count % 7 = 0")).select("channel", "spike_count"));
    assertThat(fromSpark).isNotEmpty().isEqualTo(embedded);
    assertThat(SparkTestLake.STORE.dataFilesOpened()).hasSize(1);
  }

  @Test
  void onlyTheColumnsUsedAreRead() {
    String all = explain("SELECT channel FROM lake.bci.spikes WHERE implant_id = 4595");
    String plan = all.substring(all.indexOf("== Physical Plan =="));
    // the filter's column is not read: the pushed comparison also drops its NULLs, so Spark's own
    // `implant_id IS NOT NULL` is taken with it
    assertThat(plan).contains("BatchScan lake.bci.spikes[channel#").contains("columns: channel]")
        .doesNotContain("spike_count");
    assertThat(SparkTestLake.sparkRows("SELECT count(DISTINCT channel) FROM lake.bci.spikes WHERE implant_id = 4595"))
        .containsExactly("64");
  }

  @Test
  void aCountReadsNoColumnButCountsEveryRow() {
    assertThat(SparkTestLake.sparkRows("SELECT count(*) FROM lake.bci.spikes")).containsExactly("18000");
    assertThat(explain("SELECT count(*) FROM lake.bci.spikes")).contains("aggregated per partition: count(*)]");
  }

  @Test
  void aLimitIsPushedIntoEachRead() {
    assertThat(spark.sql("SELECT * FROM lake.bci.spikes LIMIT 7").collectAsList()).hasSize(7);
    assertThat(explain("SELECT * FROM lake.bci.spikes LIMIT 7")).contains("limit 7");
  }

  @Test
  void batchesReachSparkAsColumns() {
    assertThat(explain("SELECT channel FROM lake.bci.spikes")).as("Spark turns columnar batches into rows itself")
        .contains("ColumnarToRow");
  }

  @Test
  void aDeltaTableReadsAsTheEmbeddedEngineReadsIt() {
    String sql = "SELECT o_region, count(*) AS n, sum(o_total) AS total, min(o_orderdate) AS first"
        + " FROM %s.shop.orders GROUP BY o_region";
    List<String> fromSpark = SparkTestLake.sparkRows(sql.formatted("lake"));
    assertThat(fromSpark).hasSize(3);
    assertThat(fromSpark).isEqualTo(SparkTestLake.lakeRows(lake.sql(sql.formatted("").replace(" .shop", " shop"))));

    SparkTestLake.STORE.reset();
    List<String> eu = SparkTestLake.sparkRows("SELECT o_orderkey, o_total FROM lake.shop.orders WHERE o_region = 'eu'");
    assertThat(eu).hasSize(300).isEqualTo(SparkTestLake.lakeRows(lake.db("shop").table("orders",
        Filter.eq("o_region", "eu")).select("o_orderkey", "o_total")));
    assertThat(SparkTestLake.STORE.dataFilesOpened()).as("only the eu partition's files")
        .isNotEmpty().allMatch(f -> f.contains("o_region=eu/"));
  }

  @Test
  void aDeltaTableReadsAtAnEarlierVersion() {
    assertThat(SparkTestLake.sparkRows("SELECT count(*) FROM lake.shop.orders VERSION AS OF 1")).containsExactly("600");
    assertThat(SparkTestLake.sparkRows("SELECT count(*) FROM lake.shop.orders")).containsExactly("900");
  }

  @Test
  void aFunctionTableRunsOnTheDriverAsOneLocalPartition() {
    List<String> rows = SparkTestLake.sparkRows("SELECT code, name FROM lake.fn.regions WHERE rank >= 2");
    assertThat(rows).containsExactly("apac | Asia-Pacific", "us | United States");
    assertThat(explain("SELECT * FROM lake.fn.regions")).contains("run on the driver");
  }

  @Test
  void typesSparkCannotReadAreWidenedOrTextAndNestedTypesAreKept() {
    java.util.Map<String, String> types = spark.sql("DESCRIBE TABLE lake.fn.odd_types").collectAsList().stream()
        .collect(java.util.stream.Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    assertThat(types).containsEntry("u8", "smallint").containsEntry("u32", "bigint")
        .containsEntry("u64", "decimal(20,0)").containsEntry("t", "string").containsEntry("tz", "timestamp").containsEntry("xs", "array<int>")
        .containsEntry("s", "struct<a:int,b:string>").containsEntry("m", "map<string,decimal(2,1)>");
    assertThat(SparkTestLake.sparkRows(
        "SELECT u8, u32, u64, t, CAST(tz AS STRING), xs[1], s.b, m['k'] FROM lake.fn.odd_types"))
        .containsExactly("200 | 4000000000 | 18446744073709551615 | 12:34:56 | 2024-04-28 12:00:00 | 2 | x | 2.5");
  }

  @Test
  void sparkJoinsLakeTablesWithEachOther() {
    List<String> rows = SparkTestLake.sparkRows("SELECT r.name, count(*) FROM lake.shop.orders o"
        + " JOIN lake.fn.regions r ON o.o_region = r.code GROUP BY r.name");
    assertThat(rows).containsExactly("Asia-Pacific | 300", "Europe | 300", "United States | 300");
  }
}
