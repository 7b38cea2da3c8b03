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
   * Appends of one measured run: every append's latency in ms, the versions they were committed
   * in, and the CPU time the writing process(es) spent meanwhile (all threads: the engine's,
   * Kernel's and the background checkpoints').
   */
  record Run(List<Double> latencies, java.util.Set<Long> versions, long cpuNanos) {
    Run merge(Run other) {
      List<Double> ms = new ArrayList<>(latencies);
      ms.addAll(other.latencies);
      java.util.Set<Long> v = new java.util.HashSet<>(versions);
      v.addAll(other.versions);
      return new Run(ms, v, cpuNanos + other.cpuNanos);
    }
  }

  /**
   * Each of {@code writers} threads (one streaming writer each) appends a batch of
   * {@code rowsPerAppend} rows every {@code intervalMs}, not waiting for earlier ones, as an
   * ingest pipeline does; an append's latency is the time until its rows are committed (durable
   * and visible). {@code hostLock}: the writers take the host-local commit lock.
   */
  static Run streamingLatencies(LakeContext context, String location, int firstWriter, int writers, int appends,
      int rowsPerAppend, long intervalMs, Duration maxLatency, boolean hostLock) throws Exception {
    DeltaTable table = table(location, 10);
    table.create(context);
    long cpuBefore = ProcessCpu.thisProcessNanos();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<List<Double>>> results = new ArrayList<>();
    java.util.Set<Long> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (int w = firstWriter; w < firstWriter + writers; w++) {
      int writer = w;
      results.add(pool.submit(() -> {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> pending = new ArrayList<>();
        WriteOptions options = WriteOptions.builder().maxLatency(maxLatency).hostCommitLock(hostLock).build();
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
                .whenComplete((r, e) -> {
                  latencies.add((System.nanoTime() - start) / 1e6);
                  if (r != null) {
                    versions.add(r.version());
                  }
                }));
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
    return new Run(all, versions, ProcessCpu.thisProcessNanos() - cpuBefore);
  }

  /** Warm-up runs stop once the JIT spent less than this share of a run's time compiling. */
  static final double WARM_COMPILE_SHARE = 0.05;
  /** ... or after this long: on a crowded machine the compiler may not settle. */
  static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);
  /**
   * ... for writers in processes of their own: each JVM compiles its own code, and eight of them on
   * two cores were still compiling after two minutes of rounds together (a few hundred methods per
   * 10 s, falling slowly).
   */
  static final Duration PROCESS_WARM_UP_LIMIT = Duration.ofSeconds(240);

  /**
   * Runs {@link #streamingLatencies} on fresh tables until this JVM's just-in-time compiler has
   * settled (it compiled for less than {@link #WARM_COMPILE_SHARE} of the last run's time) or for
   * {@link #WARM_UP_LIMIT}: a long-running writer's commits are measured, not a young JVM's
   * compiling (in a profile of 1,000 appends by one writer, compilation still took a third of the
   * process's CPU over the last 500, and settled after about 30 s). Returns the number of warm-up runs.
   */
  static int warmUp(LakeContext context, String name, int firstWriter, int writers, int appends, int rowsPerAppend,
      long intervalMs, Duration maxLatency, boolean hostLock) throws Exception {
    return roundsUntilSettled(WARM_UP_LIMIT, round -> compileShare(() -> streamingLatencies(context, name + "-" + round,
        firstWriter, writers, appends, rowsPerAppend, intervalMs, maxLatency, hostLock)));
  }

  /** One warm-up round: the highest share of its time a JVM's compiler spent compiling. */
  @FunctionalInterface
  interface WarmUpRound {
    double run(int round) throws Exception;
  }

  /**
   * Runs warm-up rounds until one's compile share is under {@link #WARM_COMPILE_SHARE} or
   * {@code limit} has passed (at least one round); returns the number of rounds.
   */
  static int roundsUntilSettled(Duration limit, WarmUpRound round) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    for (int rounds = 1; ; rounds++) {
      if (round.run(rounds - 1) < WARM_COMPILE_SHARE || System.nanoTime() > deadline) {
        return rounds;
      }
    }
  }

  /** Runs {@code work} and returns the share of its wall-clock time this JVM's just-in-time compiler spent compiling. */
  static double compileShare(java.util.concurrent.Callable<?> work) throws Exception {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long compiledBefore = jit.getTotalCompilationTime();
    long start = System.nanoTime();
    work.call();
    double ms = (System.nanoTime() - start) / 1e6;
    return (jit.getTotalCompilationTime() - compiledBefore) / ms;
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
  static Run processLatencies(LakeContext context, String root, Map<String, String> env, Path work, String location,
      int writers, int appends, int rowsPerAppend, long intervalMs, Duration maxLatency, boolean hostLock,
      Duration warmUpLimit, List<String> jvmOptions) throws Exception {
    table(location, 10).create(context);
    List<IngestWriterProcess> processes = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        processes.add(IngestWriterProcess.start(root, location, w, appends, rowsPerAppend, intervalMs, maxLatency,
            hostLock, work.resolve("writer-caches"), env, jvmOptions, work.resolve("writer-" + location + "-" + w + ".log")));
      }
      for (IngestWriterProcess p : processes) {
        p.awaitReady();
      }
      int rounds = warmUpTogether(context, processes, location, warmUpLimit);
      System.err.println("warm-up of " + writers + " writer processes: " + rounds + " round(s) of " + appends + " appends");
      processes.forEach(IngestWriterProcess::go);
      Run all = new Run(List.of(), java.util.Set.of(), 0);
      for (IngestWriterProcess p : processes) {
        all = all.merge(p.run());
      }
      return all;
    } finally {
      for (IngestWriterProcess p : processes) {
        p.close();
      }
    }
  }

  /**
   * Warm-up rounds of all the writer processes together, each round on a fresh table they all write,
   * until every process's compiler has settled ({@link #WARM_COMPILE_SHARE} of a round) or for
   * {@code limit} (at least one round; the benchmark gives {@link #PROCESS_WARM_UP_LIMIT}). Together, because writers that race for a
   * table's log run code a lone writer never does (lost races, reading the winners' commits, backing
   * off): warmed up alone, a process compiled that code during the measured run, and its compiler
   * then took two thirds of the processes' CPU time (per-thread CPU from /proc, 8 writers on S3Proxy).
   */
  static int warmUpTogether(LakeContext context, List<IngestWriterProcess> processes, String location, Duration limit)
      throws Exception {
    return roundsUntilSettled(limit, round -> {
      String table = location + "-warm-up-" + round;
      table(table, 10).create(context);
      processes.forEach(p -> p.warmUp(table));
      double worst = 0;
      for (IngestWriterProcess p : processes) {
        worst = Math.max(worst, p.awaitWarmedUp());
      }
      return worst;
    });
  }

  /** Which latency runs: stores, writer counts, as threads and/or processes, without and/or with the host commit lock. */
  record LatencyPlan(List<String> stores, List<Integer> threadWriters, List<Integer> processWriters, List<Boolean> hostLock,
      List<String> writerJvmOptions) {}

  /**
   * Markdown: streaming commit latency on local disk and on S3Proxy, as threads of one process
   * (their commits queue and group) and as separate processes (they race, or take turns through
   * the host commit lock), with the CPU time spent per committed append and per commit.
   */
  static String latencyTable(Path work, int appends, int rowsPerAppend, long intervalMs, Duration maxLatency,
      LatencyPlan plan) throws Exception {
    StringBuilder sb = new StringBuilder("| store | writers | as | host lock | appends | commits | p50 ms | p99 ms | max ms"
        + " | CPU ms / append | CPU ms / commit |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    LakeContext local = new LakeContext(Location.ofPath(work), Storage.shared(), Engine.shared());
    String key = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    String secret = UUID.randomUUID().toString();
    try (S3ProxyServer server = S3ProxyServer.start(S3ProxyServer.findJar(), work.resolve("s3proxy"), 0, key, secret)) {
      server.createBucket("ingest");
      Storage s3 = Storage.builder().s3(server.clientOptions())
          .cache(new FileCache(work.resolve("cache"), 1L << 30, Duration.ofMinutes(1))).build();
      LakeContext remote = new LakeContext(Location.parse("s3://ingest/"), s3, Engine.shared());
      // warm-up, not reported: the first writer would otherwise pay for loading and compiling code
      for (String store : plan.stores()) {
        int runs = warmUp(store.equals("local") ? local : remote, "warm-up", 0, 2, appends, rowsPerAppend, intervalMs,
            maxLatency, false);
        System.err.println("warm-up on " + store + ": " + runs + " run(s) of " + appends + " appends");
      }
      S3Options s3Options = server.clientOptions();
      Map<String, String> s3Env = Map.of("AWS_ENDPOINT_URL", s3Options.endpoint().orElseThrow().toString(), "AWS_ACCESS_KEY_ID", key,
          "AWS_SECRET_ACCESS_KEY", secret, "AWS_ALLOW_HTTP", "true", "AWS_REGION", "us-east-1",
          // one lock folder for the writer processes of this host (each has a cache of its own)
          "NEURALAKE_COMMIT_LOCK_DIR", work.resolve("commit-locks").toString());
      for (String store : plan.stores()) {
        LakeContext context = store.equals("local") ? local : remote;
        for (boolean lock : plan.hostLock()) {
          for (int writers : plan.threadWriters()) {
            String name = "latency-" + writers + "-" + UUID.randomUUID().toString().substring(0, 6);
            Run run = streamingLatencies(context, name, 0, writers, appends, rowsPerAppend, intervalMs, maxLatency, lock);
            sb.append(row(store, writers, "threads", lock, run));
            System.err.println("latency " + store + " x" + writers + " threads (host lock " + lock + ") done");
          }
          for (int writers : plan.processWriters()) {
            String name = "latency-p" + writers + "-" + UUID.randomUUID().toString().substring(0, 6);
            String root = store.equals("local") ? work.toString() : "s3://ingest/";
            Map<String, String> env = store.equals("local")
                ? Map.of("NEURALAKE_COMMIT_LOCK_DIR", work.resolve("commit-locks").toString()) : s3Env;
            Run run = processLatencies(context, root, env, work, name, writers, appends, rowsPerAppend, intervalMs, maxLatency,
                lock, PROCESS_WARM_UP_LIMIT, plan.writerJvmOptions());
            sb.append(row(store, writers, "processes", lock, run));
            System.err.println("latency " + store + " x" + writers + " processes (host lock " + lock + ") done");
          }
        }
      }
    }
    return sb.toString();
  }

  private static String row(String store, int writers, String as, boolean lock, Run run) {
    List<Double> ms = run.latencies();
    return String.format(Locale.ROOT, "| %s | %d | %s | %s | %d | %d | %.0f | %.0f | %.0f | %.1f | %.1f |%n", store, writers, as,
        lock ? "on" : "off", ms.size(), run.versions().size(), percentile(ms, 50), percentile(ms, 99), Collections.max(ms),
        run.cpuNanos() / 1e6 / ms.size(), run.cpuNanos() / 1e6 / Math.max(1, run.versions().size()));
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
