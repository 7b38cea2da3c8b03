package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.OptimizeResult;
import io.neuralake.delta.StreamingWriter;
import io.neuralake.delta.WriteOptions;
import io.neuralake.engine.Engine;
import io.neuralake.frame.Frame;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3Options;
import io.neuralake.testing.S3ProxyServer;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ingestion measurements that are not query-shaped: commit latency of streaming writers under
 * concurrency (local disk and S3), and the read time of a table after many small commits, before
 * and after compaction and a checkpoint.
 */
final class IngestBench {
  static final Schema EVENTS = Schema.of(Field.required("writer", DataType.INT32), Field.required("seq", DataType.INT64),
      Field.of("value", DataType.FLOAT64), Field.of("note", DataType.STRING));

  private IngestBench() {}

  static DeltaTable table(String location, int checkpointInterval) {
    return DeltaTable.builder("events", location).schema(EVENTS)
        .property("delta.checkpointInterval", Integer.toString(checkpointInterval)).build();
  }

  private static List<Map<String, Object>> rows(int writer, long from, int n) {
    List<Map<String, Object>> out = new ArrayList<>(n);
    for (long i = from; i < from + n; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("writer", writer);
      r.put("seq", i);
      r.put("value", i * 0.5);
      r.put("note", "w" + writer + "-" + i);
      out.add(r);
    }
    return out;
  }

  /**
   * Each of {@code writers} threads (one streaming writer each) appends a batch of
   * {@code rowsPerAppend} rows every {@code intervalMs}, not waiting for earlier ones, as an
   * ingest pipeline does; an append's latency is the time until its rows are committed (durable
   * and visible). Returns every append's latency in ms.
   */
  static List<Double> streamingLatencies(LakeContext context, String location, int firstWriter, int writers, int appends,
      int rowsPerAppend, long intervalMs, Duration maxLatency) throws Exception {
    DeltaTable table = table(location, 10);
    table.create(context);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<List<Double>>> results = new ArrayList<>();
    for (int w = firstWriter; w < firstWriter + writers; w++) {
      int writer = w;
      results.add(pool.submit(() -> {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> pending = new ArrayList<>();
        WriteOptions options = WriteOptions.builder().maxLatency(maxLatency).build();
        try (StreamingWriter sw = table.streamingWriter(context, options)) {
          long begin = System.nanoTime();
          for (int a = 0; a < appends; a++) {
            long due = begin + a * intervalMs * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
            long start = System.nanoTime();
            pending.add(sw.append(rows(writer, (long) a * rowsPerAppend, rowsPerAppend))
                .whenComplete((r, e) -> latencies.add((System.nanoTime() - start) / 1e6)));
          }
          CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
        return latencies;
      }));
    }
    List<Double> all = new ArrayList<>();
    for (Future<List<Double>> f : results) {
      all.addAll(f.get());
    }
    pool.shutdown();
    return all;
  }

  static double percentile(List<Double> values, double p) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int index = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, index)));
  }

  /**
   * Every append's latency with {@code writers} writers, each in a JVM of its own, started
   * together once all are warm.
   */
  static List<Double> processLatencies(LakeContext context, String root, Map<String, String> env, Path work, String location,
      int writers, int appends, int rowsPerAppend, long intervalMs, Duration maxLatency) throws Exception {
    table(location, 10).create(context);
    List<IngestWriterProcess> processes = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        processes.add(IngestWriterProcess.start(root, location, w, appends, rowsPerAppend, intervalMs, maxLatency,
            work.resolve("writer-caches"), env, work.resolve("writer-" + location + "-" + w + ".log")));
      }
      for (IngestWriterProcess p : processes) {
        p.awaitReady();
      }
      processes.forEach(IngestWriterProcess::go);
      List<Double> all = new ArrayList<>();
      for (IngestWriterProcess p : processes) {
        all.addAll(p.latencies());
      }
      return all;
    } finally {
      for (IngestWriterProcess p : processes) {
        p.close();
      }
    }
  }

  /**
   * Markdown: streaming commit latency with 1, 4 and 8 writers on local disk and on S3Proxy, as
   * threads of one process (their commits queue and group) and as separate processes (they race).
   */
  static String latencyTable(Path work, int appends, int rowsPerAppend, long intervalMs, Duration maxLatency) throws Exception {
    StringBuilder sb = new StringBuilder("| store | writers | as | appends | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n");
    LakeContext local = new LakeContext(Location.ofPath(work), Storage.shared(), Engine.shared());
    String key = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    String secret = UUID.randomUUID().toString();
    try (S3ProxyServer server = S3ProxyServer.start(S3ProxyServer.findJar(), work.resolve("s3proxy"), 0, key, secret)) {
      server.createBucket("ingest");
      Storage s3 = Storage.builder().s3(server.clientOptions())
          .cache(new FileCache(work.resolve("cache"), 1L << 30, Duration.ofMinutes(1))).build();
      LakeContext remote = new LakeContext(Location.parse("s3://ingest/"), s3, Engine.shared());
      // warm-up, not reported: the first writer would otherwise pay for loading and compiling code
      streamingLatencies(local, "warm-up", 0, 2, appends, rowsPerAppend, intervalMs, maxLatency);
      streamingLatencies(remote, "warm-up", 0, 2, appends, rowsPerAppend, intervalMs, maxLatency);
      S3Options s3Options = server.clientOptions();
      Map<String, String> s3Env = Map.of("AWS_ENDPOINT_URL", s3Options.endpoint().orElseThrow().toString(), "AWS_ACCESS_KEY_ID", key,
          "AWS_SECRET_ACCESS_KEY", secret, "AWS_ALLOW_HTTP", "true", "AWS_REGION", "us-east-1");
      for (String store : List.of("local", "s3proxy")) {
        LakeContext context = store.equals("local") ? local : remote;
        for (int writers : List.of(1, 4, 8)) {
          String name = "latency-" + writers + "-" + UUID.randomUUID().toString().substring(0, 6);
          List<Double> ms = streamingLatencies(context, name, 0, writers, appends, rowsPerAppend, intervalMs, maxLatency);
          sb.append(row(store, writers, "threads", ms));
          System.err.println("latency " + store + " x" + writers + " threads done");
        }
        for (int writers : List.of(4, 8)) {
          String name = "latency-p" + writers + "-" + UUID.randomUUID().toString().substring(0, 6);
          String root = store.equals("local") ? work.toString() : "s3://ingest/";
          List<Double> ms = processLatencies(context, root, store.equals("local") ? Map.of() : s3Env, work, name, writers,
              appends, rowsPerAppend, intervalMs, maxLatency);
          sb.append(row(store, writers, "processes", ms));
          System.err.println("latency " + store + " x" + writers + " processes done");
        }
      }
    }
    return sb.toString();
  }

  private static String row(String store, int writers, String as, List<Double> ms) {
    return String.format(Locale.ROOT, "| %s | %d | %s | %d | %.0f | %.0f | %.0f |%n", store, writers, as, ms.size(),
        percentile(ms, 50), percentile(ms, 99), Collections.max(ms));
  }

  /**
   * Markdown: {@code commits} small commits, then the read time of the table (cold caches, median
   * of {@code runs}) before and after compaction and a checkpoint.
   */
  static String smallCommitsTable(Path work, int commits, int runs) throws Exception {
    LakeContext context = new LakeContext(Location.ofPath(work), Storage.shared(), Engine.shared());
    DeltaTable table = table("small-commits-" + UUID.randomUUID().toString().substring(0, 6), 1_000_000);
    table.create(context);
    long start = System.nanoTime();
    for (int c = 0; c < commits; c++) {
      table.append(Frame.fromRows(rows(0, (long) c * 10, 10))).context(context).commit();
    }
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    Catalog catalog = Catalog.builder("c").root(work.toString()).database("db", table).build();
    double before = medianReadMs(catalog, runs);
    long t0 = System.nanoTime();
    OptimizeResult compacted = table.optimize().context(context).run();
    table.checkpoint(context);
    double maintenanceSeconds = (System.nanoTime() - t0) / 1e9;
    double after = medianReadMs(catalog, runs);
    return String.format(Locale.ROOT, "| commits | files before | write s | read before ms | optimize + checkpoint s | files after | read after ms | speed-up |%n"
        + "|---|---|---|---|---|---|---|---|%n| %d | %d | %.1f | %.0f | %.1f | %d | %.0f | %.1fx |%n",
        commits, compacted.filesRemoved(), writeSeconds, before, maintenanceSeconds, compacted.filesAdded(), after, before / after);
  }

  private static double medianReadMs(Catalog catalog, int runs) {
    List<Double> times = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      DeltaTable.clearCaches(); // a reader that has not seen the table yet
      long start = System.nanoTime();
      long rows = catalog.sql("SELECT count(*) AS n, sum(value) AS s FROM db.events").count();
      times.add((System.nanoTime() - start) / 1e6);
      if (rows != 1) {
        throw new IllegalStateException("unexpected result");
      }
    }
    Collections.sort(times);
    return times.get(times.size() / 2);
  }

  static Path workDir(Path root) throws Exception {
    return Files.createDirectories(root.resolve("ingest-" + UUID.randomUUID().toString().substring(0, 8)));
  }
}
