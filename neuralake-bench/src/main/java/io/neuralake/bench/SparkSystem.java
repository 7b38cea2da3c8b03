package io.neuralake.bench;

import io.neuralake.sample.TpchData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Apache Spark in local[N] mode, the JVM incumbent, on the same files. */
final class SparkSystem implements BenchSystem {
  private final SparkSession spark;
  private final BenchConfig config;

  SparkSystem(BenchConfig config) {
    this.config = config;
    int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
    this.spark = SparkSession.builder()
        .master("local[" + threads + "]")
        .appName("neuralake-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    for (String t : TpchData.tableNames()) {
      String path = config.dataDir().resolve(t).toString();
      (config.delta() ? spark.read().format("delta").load(path) : spark.read().parquet(path)).createOrReplaceTempView(t);
    }
  }

  SparkSession session() {
    return spark;
  }

  @Override
  public List<List<String>> run(String query) {
    List<List<String>> out = new ArrayList<>();
    for (Row r : spark.sql(TpchQueries.sql(query, config.scaleFactor())).collectAsList()) {
      List<String> row = new ArrayList<>(r.length());
      for (int i = 0; i < r.length(); i++) {
        row.add(Answer.cell(r.get(i)));
      }
      out.add(row);
    }
    return out;
  }

  @Override
  public void close() {
    spark.stop();
  }
}
