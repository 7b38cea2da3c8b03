package io.neuralake.bench;

import static io.neuralake.frame.Expr.col;
import static io.neuralake.frame.Expr.lit;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.Database;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.frame.SortKey;
import io.neuralake.sample.TpchData;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.TableDefinition;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Neuralake's frame API: the TPC-H queries a data engineer would write as frames. */
final class NeuralakeFrameSystem implements BenchSystem {
  private final Database db;
  private final Map<String, Function<Database, Frame>> queries = Map.of(
      "q01", NeuralakeFrameSystem::q1,
      "q03", NeuralakeFrameSystem::q3,
      "q06", NeuralakeFrameSystem::q6);

  NeuralakeFrameSystem(BenchConfig config) {
    List<TableDefinition> tables = new ArrayList<>();
    for (String t : TpchData.tableNames()) {
      tables.add(ParquetTable.builder(t, t).build());
    }
    Catalog catalog = Catalog.builder("bench").root(config.data()).database("tpch", "TPC-H", tables).build();
    this.db = catalog.db("tpch");
  }

  @Override
  public boolean supports(String query) {
    return queries.containsKey(query);
  }

  @Override
  public List<List<String>> run(String query) {
    try (DataFrame df = queries.get(query).apply(db).collect()) {
      return NeuralakeSystem.rows(df);
    }
  }

  private static Expr discounted() {
    return col("l_extendedprice").times(lit(1).minus(col("l_discount")));
  }

  static Frame q1(Database db) {
    return db.table("lineitem")
        .filter(col("l_shipdate").le(LocalDate.of(1998, 9, 2)))
        .withColumns(discounted().as("disc_price"), discounted().times(lit(1).plus(col("l_tax"))).as("charge"))
        .groupBy("l_returnflag", "l_linestatus")
        .agg(col("l_quantity").sum().as("sum_qty"), col("l_extendedprice").sum().as("sum_base_price"),
            col("disc_price").sum().as("sum_disc_price"), col("charge").sum().as("sum_charge"),
            col("l_quantity").mean().as("avg_qty"), col("l_extendedprice").mean().as("avg_price"),
            col("l_discount").mean().as("avg_disc"), Expr.countRows().as("count_order"))
        .sort("l_returnflag", "l_linestatus");
  }

  static Frame q3(Database db) {
    LocalDate date = LocalDate.of(1995, 3, 15);
    return db.table("customer").filter(col("c_mktsegment").eq("BUILDING"))
        .join(db.table("orders").filter(col("o_orderdate").lt(date)), "c_custkey", "o_custkey")
        .join(db.table("lineitem").filter(col("l_shipdate").gt(date)), "o_orderkey", "l_orderkey")
        .groupBy("l_orderkey", "o_orderdate", "o_shippriority")
        .agg(discounted().sum().as("revenue"))
        .select("l_orderkey", "revenue", "o_orderdate", "o_shippriority")
        .sort(SortKey.desc("revenue"), SortKey.asc("o_orderdate"))
        .limit(10);
  }

  static Frame q6(Database db) {
    return db.table("lineitem")
        .filter(col("l_shipdate").ge(LocalDate.of(1994, 1, 1)).and(col("l_shipdate").lt(LocalDate.of(1995, 1, 1)))
            .and(col("l_discount").ge(0.05)).and(col("l_discount").le(0.07)).and(col("l_quantity").lt(24)))
        .agg(col("l_extendedprice").times(col("l_discount")).sum().as("revenue"));
  }
}
