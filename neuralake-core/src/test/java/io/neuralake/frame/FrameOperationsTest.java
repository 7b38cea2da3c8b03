package io.neuralake.frame;

import static io.neuralake.frame.Expr.col;
import static io.neuralake.frame.Expr.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.sample.TpchData;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.Fixtures;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frame operations on TPC-H (scale 0.01), each checked against the same query written by hand
 * in SQL and run directly by DuckDB on the same files.
 */
class FrameOperationsTest {
  @TempDir static Path dir;
  static Catalog catalog;
  static DuckDb duck;

  @BeforeAll
  static void setUp() {
    for (String t : List.of("part", "supplier", "partsupp", "nation", "region", "orders", "customer")) {
      TpchData.writeTable(t, dir.resolve(t), 0.01, 5_000);
    }
    catalog = Fixtures.catalog(dir, new CountingStore(),
        List.of("part", "supplier", "partsupp", "nation", "region", "orders", "customer").stream()
            .map(t -> ParquetTable.builder(t, t).build()).toArray(ParquetTable[]::new));
    duck = new DuckDb();
    for (String t : List.of("part", "supplier", "partsupp", "nation", "region", "orders", "customer")) {
      duck.execute("CREATE VIEW " + t + " AS SELECT * FROM read_parquet('" + dir.resolve(t) + "/*.parquet')");
    }
  }

  @AfterAll
  static void tearDown() {
    duck.close();
  }

  private static Frame t(String name) {
    return catalog.db("db").table(name);
  }

  private static List<String> ours(Frame f) {
    try (DataFrame df = f.collect()) {
      return DuckDb.Rows.of(df.rows());
    }
  }

  private static void same(Frame f, String sql) {
    List<String> expected = duck.rows(sql);
    assertThat(ours(f)).as(sql).isEqualTo(expected).isNotEmpty();
  }

  private static void sameIgnoringOrder(Frame f, String sql) {
    List<String> expected = duck.rows(sql);
    assertThat(ours(f)).as(sql).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
  }

  @Test
  void filterSelectSort() {
    same(t("part").filter(col("p_size").gt(40).and(col("p_brand").eq("Brand#23"))).select("p_partkey", "p_name").sort("p_partkey"),
        "SELECT p_partkey, p_name FROM part WHERE p_size > 40 AND p_brand = 'Brand#23' ORDER BY p_partkey");
  }

  @Test
  void sortDescendingOnSeveralKeysAndSlice() {
    same(t("part").sort(SortKey.desc("p_size"), SortKey.asc("p_partkey")).slice(10, 5).select("p_partkey", "p_size"),
        "SELECT p_partkey, p_size FROM part ORDER BY p_size DESC, p_partkey ASC LIMIT 5 OFFSET 10");
    same(t("part").sort("p_partkey").head(3).select("p_partkey"), "SELECT p_partkey FROM part ORDER BY p_partkey LIMIT 3");
  }

  @Test
  void withColumnsAddsAndReplacesInPlace() {
    same(t("nation").withColumns(col("n_nationkey").times(10).as("n_nationkey"), col("n_name").contains("A").as("has_a"))
            .sort("n_nationkey"),
        "SELECT n_nationkey * 10 AS n_nationkey, n_name, n_regionkey, n_comment, contains(n_name, 'A') AS has_a"
            + " FROM nation ORDER BY n_nationkey");
  }

  @Test
  void innerLeftRightFullJoins() {
    Frame nations = t("nation").filter(col("n_nationkey").lt(10));
    Frame suppliers = t("supplier").filter(col("s_suppkey").le(40)).select("s_suppkey", "s_nationkey", "s_name");
    sameIgnoringOrder(nations.join(suppliers, "n_nationkey", "s_nationkey").select("n_name", "s_name"),
        "SELECT n_name, s_name FROM nation JOIN supplier ON n_nationkey = s_nationkey WHERE n_nationkey < 10 AND s_suppkey <= 40");
    sameIgnoringOrder(nations.join(suppliers, JoinType.LEFT, "n_nationkey", "s_nationkey").select("n_name", "s_name"),
        "SELECT n_name, s_name FROM (SELECT * FROM nation WHERE n_nationkey < 10) n"
            + " LEFT JOIN (SELECT * FROM supplier WHERE s_suppkey <= 40) s ON n_nationkey = s_nationkey");
    sameIgnoringOrder(nations.join(suppliers, JoinType.RIGHT, "n_nationkey", "s_nationkey").select("n_name", "s_name"),
        "SELECT n_name, s_name FROM (SELECT * FROM nation WHERE n_nationkey < 10) n"
            + " RIGHT JOIN (SELECT * FROM supplier WHERE s_suppkey <= 40) s ON n_nationkey = s_nationkey");
    sameIgnoringOrder(nations.join(suppliers, JoinType.FULL, "n_nationkey", "s_nationkey").select("n_name", "s_name"),
        "SELECT n_name, s_name FROM (SELECT * FROM nation WHERE n_nationkey < 10) n"
            + " FULL JOIN (SELECT * FROM supplier WHERE s_suppkey <= 40) s ON n_nationkey = s_nationkey");
  }

  @Test
  void semiAndAntiJoinsKeepLeftColumns() {
    Frame suppliers = t("supplier").filter(col("s_acctbal").gt(5000.0));
    Frame semi = t("nation").join(suppliers, JoinType.SEMI, "n_nationkey", "s_nationkey");
    assertThat(semi.schema().names()).containsExactly("n_nationkey", "n_name", "n_regionkey", "n_comment");
    sameIgnoringOrder(semi.select("n_name"),
        "SELECT n_name FROM nation WHERE n_nationkey IN (SELECT s_nationkey FROM supplier WHERE s_acctbal > 5000)");
    sameIgnoringOrder(t("nation").join(suppliers, JoinType.ANTI, "n_nationkey", "s_nationkey").select("n_name"),
        "SELECT n_name FROM nation WHERE n_nationkey NOT IN (SELECT s_nationkey FROM supplier WHERE s_acctbal > 5000)");
  }

  @Test
  void joinOnSameNamesKeepsOneKeyAndSuffixesClashes() {
    Frame a = t("nation").select(col("n_nationkey").as("k"), col("n_name").as("name"));
    Frame b = t("supplier").select(col("s_nationkey").as("k"), col("s_name").as("name"), col("s_suppkey"));
    Frame joined = a.join(b, "k");
    assertThat(joined.schema().names()).containsExactly("k", "name", "name_right", "s_suppkey");
    Frame full = a.join(b, JoinType.FULL, "k");
    assertThat(full.schema().names()).containsExactly("k", "name", "name_right", "s_suppkey");
    sameIgnoringOrder(joined, "SELECT n_nationkey, n_name, s_name, s_suppkey FROM nation JOIN supplier ON n_nationkey = s_nationkey");
  }

  @Test
  void joinOnSeveralKeys() {
    Frame ps = t("partsupp").filter(col("ps_availqty").lt(100));
    sameIgnoringOrder(ps.join(t("partsupp"), JoinType.INNER, List.of("ps_partkey", "ps_suppkey"), List.of("ps_partkey", "ps_suppkey"))
            .select("ps_partkey", "ps_suppkey", "ps_availqty"),
        "SELECT ps_partkey, ps_suppkey, ps_availqty FROM partsupp WHERE ps_availqty < 100");
  }

  @Test
  void groupByWithEveryAggregate() {
    Frame f = t("part").groupBy("p_brand").agg(
        Expr.countRows(),
        col("p_size").count().as("sizes"),
        col("p_size").nUnique().as("distinct_sizes"),
        col("p_retailprice").sum().as("total"),
        col("p_retailprice").mean().as("mean"),
        col("p_retailprice").min().as("lowest"),
        col("p_retailprice").max().as("highest")).sort("p_brand");
    same(f, "SELECT p_brand, count(*) AS count, count(p_size), count(DISTINCT p_size), sum(p_retailprice),"
        + " avg(p_retailprice), min(p_retailprice), max(p_retailprice) FROM part GROUP BY p_brand ORDER BY p_brand");
  }

  @Test
  void firstAndLastFollowArrivalOrder() {
    Frame sorted = t("nation").sort("n_nationkey");
    same(sorted.groupBy("n_regionkey").agg(col("n_name").first().as("first"), col("n_name").last().as("last")).sort("n_regionkey"),
        "SELECT n_regionkey, min_by(n_name, n_nationkey), max_by(n_name, n_nationkey) FROM nation GROUP BY 1 ORDER BY 1");
  }

  @Test
  void aggregateWithoutKeysAndGroupByExpression() {
    same(t("orders").agg(col("o_totalprice").sum().as("s"), Expr.countRows()),
        "SELECT sum(o_totalprice), count(*) FROM orders");
    same(t("orders").groupBy(Expr.call("year", col("o_orderdate")).as("y")).agg(Expr.countRows()).sort("y"),
        "SELECT year(o_orderdate) AS y, count(*) FROM orders GROUP BY 1 ORDER BY 1");
  }

  @Test
  void uniqueRowsAndUniqueOnSubset() {
    same(t("part").select("p_brand", "p_mfgr").unique().sort("p_brand"),
        "SELECT DISTINCT p_brand, p_mfgr FROM part ORDER BY p_brand");
    try (DataFrame df = t("part").unique("p_brand").collect()) {
      assertThat(df.rowCount()).isEqualTo(duck.count("SELECT count(DISTINCT p_brand) FROM part"));
      assertThat(df.columnCount()).isEqualTo(9);
    }
  }

  @Test
  void unionByNameFillsMissingColumnsWithNulls() {
    Frame a = t("region").select("r_regionkey", "r_name");
    Frame b = t("nation").select(col("n_nationkey").as("r_regionkey"), col("n_comment").as("comment"));
    Frame u = a.union(b);
    assertThat(u.schema().names()).containsExactly("r_regionkey", "r_name", "comment");
    sameIgnoringOrder(u, "SELECT r_regionkey, r_name, NULL FROM region UNION ALL SELECT n_nationkey, NULL, n_comment FROM nation");
  }

  @Test
  void schemaWithoutReadingData() {
    Schema s = t("orders").select("o_orderkey", "o_orderdate", "o_totalprice").schema();
    assertThat(s.fields()).containsExactly(Field.of("o_orderkey", DataType.INT64), Field.of("o_orderdate", DataType.DATE),
        Field.of("o_totalprice", DataType.FLOAT64));
  }

  @Test
  void federatedJoinWithInMemoryFrames() {
    Frame tiers = Frame.fromRows(List.of(
        java.util.Map.of("r_regionkey", 0L, "tier", "gold"), java.util.Map.of("r_regionkey", 3L, "tier", "silver")));
    sameIgnoringOrder(t("region").join(tiers, "r_regionkey").select("r_name", "tier"),
        "SELECT r_name, CASE r_regionkey WHEN 0 THEN 'gold' ELSE 'silver' END FROM region WHERE r_regionkey IN (0, 3)");
  }

  @Test
  void inMemoryFrameUsedTwiceInOneQuery() {
    Frame nums = Frame.fromColumns(java.util.Map.of("k", List.of(1L, 2L, 3L)));
    try (DataFrame df = nums.join(nums, "k").collect()) {
      assertThat(df.rowCount()).isEqualTo(3);
    }
  }

  @Test
  void countAndExplain() {
    Frame f = t("customer").filter(col("c_mktsegment").eq("BUILDING"));
    assertThat(f.count()).isEqualTo(duck.count("SELECT count(*) FROM customer WHERE c_mktsegment = 'BUILDING'"));
    String plan = f.explain();
    assertThat(plan).contains("Scan db.customer").contains("files=1/1").contains("read_parquet");
  }

  @Test
  void literalsOfEveryKindRoundTrip() {
    Function<Object, Object> roundTrip = v -> {
      try (DataFrame df = t("region").limit(1).select(lit(v).as("v")).collect()) {
        return df.get(0, "v");
      }
    };
    assertThat(roundTrip.apply("it's")).isEqualTo("it's");
    assertThat(roundTrip.apply(42L)).isEqualTo(42L);
    assertThat(roundTrip.apply(2.5)).isEqualTo(2.5);
    assertThat(roundTrip.apply(true)).isEqualTo(true);
    assertThat(roundTrip.apply(java.time.LocalDate.of(2024, 4, 28))).isEqualTo(java.time.LocalDate.of(2024, 4, 28));
    assertThat(roundTrip.apply(new java.math.BigDecimal("12.34"))).isEqualTo(new java.math.BigDecimal("12.34"));
    assertThat(roundTrip.apply(List.of(1L, 2L))).isEqualTo(List.of(1L, 2L));
  }
}
