package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.frame.DataFrame;
import io.neuralake.sample.TpchData;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.S3Options;
import io.neuralake.storage.Storage;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.TableDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Neuralake's library path: SQL over a catalog of the TPC-H tables, as a user writes it. */
final class NeuralakeSystem implements BenchSystem {
  enum Mode { LOCAL, S3_COLD, S3_WARM }

  private final Mode mode;
  private final Path cacheDir;
  private final BenchConfig config;
  private final Catalog catalog;

  NeuralakeSystem(BenchConfig config, Mode mode) {
    this.config = config;
    this.mode = mode;
    // each S3 system its own cache folder: the cold one empties it, the warm one keeps it
    this.cacheDir = config.cacheDir().isEmpty() ? null : Path.of(config.cacheDir()).resolve(mode.name().toLowerCase());
    this.catalog = build();
  }

  private Catalog build() {
    String root = mode == Mode.LOCAL ? config.data() : config.s3Location();
    List<TableDefinition> tables = new ArrayList<>();
    for (String t : TpchData.tableNames()) {
      tables.add(config.delta() ? DeltaTable.builder(t, t).build() : ParquetTable.builder(t, t).build());
    }
    Catalog.Builder b = Catalog.builder("bench").root(root).database("tpch", "TPC-H", tables);
    if (mode != Mode.LOCAL) {
      b.storage(Storage.builder().s3(S3Options.fromEnvironment())
          .cache(new FileCache(cacheDir, 100L << 30, Duration.ZERO)).build());
    }
    return b.build();
  }

  /** The cold variant empties its cache before each run; the client and its connections stay, as in a server. */
  @Override
  public void beforeRun() throws Exception {
    if (mode == Mode.S3_COLD && Files.exists(cacheDir)) {
      try (Stream<Path> walk = Files.walk(cacheDir)) {
        walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(cacheDir)).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public List<List<String>> run(String query) {
    try (DataFrame df = catalog.sql(TpchQueries.sql(query, config.scaleFactor())).collect()) {
      return rows(df);
    }
  }

  static List<List<String>> rows(DataFrame df) {
    List<List<String>> out = new ArrayList<>();
    for (Map<String, Object> row : df.rows()) {
      out.add(row.values().stream().map(Answer::cell).toList());
    }
    return out;
  }
}
