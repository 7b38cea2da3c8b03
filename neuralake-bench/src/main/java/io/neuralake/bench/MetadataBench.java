package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.engine.Engine;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.storage.StoreMetrics;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.TableDefinition;
import io.neuralake.testing.S3ProxyServer;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What {@code describe} and {@code schema()} of an S3 table of many files cost: requests, bytes
 * read and wall time, each from a cold cache (a new catalog, storage and cache folder per run).
 * A catalog site or {@code \d table} must never download the table to show it.
 */
final class MetadataBench {
  private MetadataBench() {}

  /** One measurement: the median wall time of the runs, and the requests and bytes of the last. */
  record Figures(String table, String operation, long requests, long bytesRead, long tableBytes, double millis) {}

  interface Operation {
    void run(Catalog catalog, TableDefinition table) throws Exception;
  }

  static String run(Path dataRoot, int files, int runs) throws Exception {
    Path work = dataRoot.toAbsolutePath().resolve("metadata-" + files);
    Path parquet = work.resolve("parquet");
    Path delta = work.resolve("delta");
    if (!Files.exists(work.resolve("_COMPLETE"))) {
      System.err.println("writing " + files + " Parquet files and a Delta table of " + files + " files under " + work + " ...");
      writeParquet(parquet, files);
      DeltaTable source = DeltaTable.builder("t", delta.toString()).partitionedBy("part")
          .schema(schema()).build();
      source.create(LakeContext.defaults());
      source.append(Catalog.builder("src").root(parquet.toString())
          .database("db", ParquetTable.builder("t", parquet.toString()).build()).build().db("db").table("t"))
          .context(LakeContext.defaults()).commit();
      Files.createDirectories(work);
      Files.writeString(work.resolve("_COMPLETE"), "");
    }
    String key = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3ProxyServer server = S3ProxyServer.start(S3ProxyServer.findJar(),
        Files.createTempDirectory("bench-s3proxy"), 0, key, UUID.randomUUID().toString())) {
      server.createBucket("bench");
      long parquetBytes = upload(server, parquet, "s3://bench/parquet");
      long deltaBytes = upload(server, delta, "s3://bench/delta");
      long deltaDataBytes = dataBytes(delta);
      List<TableDefinition> tables = List.of(
          ParquetTable.builder("parquet", "s3://bench/parquet").build(),
          DeltaTable.builder("delta", "s3://bench/delta").build());
      Operation describe = (catalog, table) -> {
        // what `neuralake describe` does: the table's details, then its metadata-only schema
        String details = String.valueOf(table.details(catalog.context()));
        if (details.isEmpty()) {
          throw new IllegalStateException("no details");
        }
        table.schema(catalog.context());
      };
      Operation schemaOnly = (catalog, table) -> catalog.db("db").table(table.name()).schema();
      List<Figures> out = new ArrayList<>();
      for (TableDefinition t : tables) {
        long tableBytes = t instanceof DeltaTable ? deltaDataBytes : parquetBytes;
        out.add(measure(server, t, "describe", describe, tableBytes, runs));
        out.add(measure(server, t, "schema()", schemaOnly, tableBytes, runs));
      }
      StringBuilder md = new StringBuilder();
      md.append("`describe` and `schema()` of an S3 table of ").append(files).append(" files (S3Proxy on loopback,")
          .append(" cold: a new catalog and an empty cache each run; median of ").append(runs).append(" runs; ")
          .append(deltaBytes - deltaDataBytes).append(" bytes of Delta log):\n\n")
          .append("| table | operation | requests | bytes read | share of the table | time (ms) |\n")
          .append("|---|---|---|---|---|---|\n");
      for (Figures f : out) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %.2f%% | %.0f |%n", f.table(), f.operation(),
            f.requests(), f.bytesRead(), 100.0 * f.bytesRead() / f.tableBytes(), f.millis()));
      }
      return md.toString();
    }
  }

  private static Figures measure(S3ProxyServer server, TableDefinition table, String name, Operation operation,
      long tableBytes, int runs) throws Exception {
    List<Double> times = new ArrayList<>();
    long requests = 0;
    long bytes = 0;
    for (int i = 0; i < runs; i++) {
      Path cacheDir = Files.createTempDirectory("bench-metadata-cache");
      Storage storage = Storage.builder().s3(server.clientOptions())
          .cache(new FileCache(cacheDir, 10L << 30, Duration.ZERO)).build();
      DeltaTable.clearCaches();
      Catalog catalog = Catalog.builder("bench").root("s3://bench/").storage(storage).engine(Engine.shared())
          .database("db", table).build();
      long start = System.nanoTime();
      operation.run(catalog, table);
      times.add((System.nanoTime() - start) / 1e6);
      StoreMetrics m = ((S3ObjectStore) storage.storeFor(Location.parse("s3://bench/"))).metrics();
      requests = m.listCalls() + m.gets();
      bytes = m.bytesRead();
      storage.close();
      delete(cacheDir);
    }
    times.sort(Double::compare);
    return new Figures(table.kind(), name, requests, bytes, tableBytes, times.get(times.size() / 2));
  }

  private static Schema schema() {
    return Schema.of(Field.of("part", DataType.INT64), Field.of("id", DataType.INT64), Field.of("x", DataType.FLOAT64),
        Field.of("name", DataType.STRING));
  }

  /** Files of about 200 KB: random values do not compress away. */
  private static void writeParquet(Path folder, int files) throws Exception {
    Files.createDirectories(folder);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      for (int i = 0; i < files; i++) {
        s.execute("COPY (SELECT " + i + "::BIGINT AS part, range AS id, random() AS x, md5(range::VARCHAR) AS name"
            + " FROM range(" + (i * 5_000L) + ", " + ((i + 1) * 5_000L) + ")) TO '"
            + folder.resolve(String.format(Locale.ROOT, "part-%05d.parquet", i)) + "' (FORMAT parquet)");
      }
    }
  }

  private static long upload(S3ProxyServer server, Path folder, String location) throws Exception {
    long bytes = 0;
    try (S3ObjectStore store = new S3ObjectStore(server.clientOptions(),
        new FileCache(Files.createTempDirectory("bench-upload"), 1L << 30, Duration.ZERO));
        Stream<Path> walk = Files.walk(folder)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        store.putFile(Location.parse(location + "/" + folder.relativize(f).toString().replace('\\', '/')), f);
        bytes += Files.size(f);
      }
    }
    return bytes;
  }

  /** Bytes of a Delta table's data files (its log excluded). */
  private static long dataBytes(Path delta) throws Exception {
    try (Stream<Path> walk = Files.walk(delta)) {
      return walk.filter(Files::isRegularFile).filter(p -> !p.toString().contains("_delta_log"))
          .filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path folder) throws Exception {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
