package io.neuralake.bench;

import io.neuralake.sample.TpchData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Apache Spark in local[N] mode, the JVM incumbent, on the same files: with its own readers
 * (Parquet, or delta-spark for Delta tables), or, {@code throughNeuralake}, with the tables of a
 * Neuralake catalog through the connector (planned by Neuralake on the driver, read by its engine
 * in the tasks), as a Spark user of the connector runs them.
 */
final class SparkSystem implements BenchSystem {
  private final SparkSession spark;
  private final BenchConfig config;

  SparkSystem(BenchConfig config) {
    this(config, false);
  }

  SparkSystem(BenchConfig config, boolean throughNeuralake) {
    this.config = config;
    int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
    SparkSession.Builder builder = SparkSession.builder();
    if (throughNeuralake) {
      builder.config("spark.sql.catalog.lake", "io.neuralake.spark.NeuralakeCatalog")
          .config("spark.sql.catalog.lake.catalog", catalogSource(config).toString());
    }
    this.spark = builder
        .master("local[" + threads + "]")
        .appName("neuralake-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    if (throughNeuralake) {
      // the queries name tables unqualified: they resolve in the catalog's database
      spark.sql("USE lake.tpch");
      return;
    }
    for (String t : TpchData.tableNames()) {
      String path = config.dataDir().resolve(t).toString();
      (config.delta() ? spark.read().format("delta").load(path) : spark.read().parquet(path)).createOrReplaceTempView(t);
    }
  }

  /** The TPC-H tables as a catalog's source, as the bench's Neuralake system declares them, in a folder of its own. */
  private static Path catalogSource(BenchConfig config) {
    StringBuilder tables = new StringBuilder();
    for (String t : TpchData.tableNames()) {
      tables.append(tables.isEmpty() ? "" : ",\n            ").append(config.delta()
          ? "DeltaTable.builder(\"" + t + "\", \"" + t + "\").build()"
          : "ParquetTable.builder(\"" + t + "\", \"" + t + "\").build()");
    }
    String source = """
        import io.neuralake.catalog.Catalog;
        import io.neuralake.delta.DeltaTable;
        import io.neuralake.table.ParquetTable;
        import java.util.List;

        public final class BenchTpch {
          public static Catalog catalog() {
            return Catalog.builder("bench").root("%s").database("tpch", "TPC-H", List.of(
                %s)).build();
          }
        }
        """.formatted(config.dataDir().toAbsolutePath().toString().replace("\\", "\\\\"), tables);
    try {
      Path folder = Files.createTempDirectory("bench-spark-catalog");
      Files.writeString(folder.resolve("BenchTpch.java"), source);
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
