package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.engine.Engine;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.sample.TpchData;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Bulk appends: "append-&lt;table&gt;" writes a TPC-H table's Parquet files into a fresh Delta
 * table in one commit. Neuralake appends through its writer; Spark writes with delta-spark; DuckDB
 * copies the same rows to Parquet files with no table around them (the practical limit: the same
 * engine's read, compression and write, and nothing else).
 */
abstract class AppendSystem implements BenchSystem {
  final BenchConfig config;
  final Path target;

  AppendSystem(BenchConfig config, String name) {
    this.config = config;
    this.target = Path.of(config.cacheDir()).resolve("append-" + name);
  }

  @Override
  public boolean supports(String query) {
    return query.startsWith("append-");
  }

  /** A fresh, empty target before every run (not timed). */
  @Override
  public void beforeRun() throws Exception {
    if (Files.exists(target)) {
      try (Stream<Path> walk = Files.walk(target)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(target);
  }

  String table(String query) {
    return query.substring("append-".length());
  }

  static final class Neuralake extends AppendSystem {
    /** A runtime of each run's own: its Delta state (snapshots, background work) is that run's table's. */
    private LakeRuntime runtime;

    Neuralake(BenchConfig config) {
      super(config, "neuralake");
    }

    /**
     * The last run's runtime closes first, which lets its background work (its commit's checksum)
     * finish: it would otherwise write into the folder of the next run's table. Not timed, like the
     * delete.
     */
    @Override
    public void beforeRun() throws Exception {
      if (runtime != null) {
        runtime.close();
      }
      super.beforeRun();
      runtime = LakeRuntime.builder().root(Location.ofPath(target).toString()).engine(Engine.shared())
          .storage(Storage.shared()).build();
    }

    @Override
    public void close() {
      if (runtime != null) {
        runtime.close();
      }
    }

    @Override
    public List<List<String>> run(String query) {
      String t = table(query);
      DeltaTable delta = DeltaTable.builder(t, t).schema(TpchData.schema(t)).build();
      LakeContext context = runtime.context();
      delta.create(context);
      Catalog source = Catalog.builder("src").root(config.data())
          .database("p", ParquetTable.builder(t, t).build()).build();
      delta.append(source.db("p").table(t)).context(context).commit();
      return List.of(List.of("written"));
    }
  }

  static final class Spark extends AppendSystem {
    private final SparkSession spark;

    Spark(BenchConfig config) {
      super(config, "spark");
      this.spark = new SparkSystem(config).session();
    }

    @Override
    public List<List<String>> run(String query) {
      String t = table(query);
      var data = spark.read().parquet(config.dataDir().resolve(t).toString());
      data.write().format("delta").mode("append").save(target.resolve(t).toString());
      return List.of(List.of("written")); // no read-back inside the timed run
    }

    @Override
    public void close() {
      spark.stop();
    }
  }

  static final class DuckDbCopy extends AppendSystem {
    DuckDbCopy(BenchConfig config) {
      super(config, "duckdb");
    }

    @Override
    public List<List<String>> run(String query) throws Exception {
      String t = table(query);
      // as Neuralake's writer writes its data files: zstd, row groups of 122,880 rows, files split near 128 MB
      try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
        if (config.threads() > 0) {
          s.execute("SET threads = " + config.threads());
        }
        s.execute("COPY (SELECT * FROM read_parquet('" + config.dataDir().resolve(t) + "/*.parquet')) TO '"
            + target.resolve(t) + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, FILE_SIZE_BYTES 134217728)");
      }
      return List.of(List.of("written"));
    }
  }
}
