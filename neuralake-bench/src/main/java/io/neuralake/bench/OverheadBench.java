package io.neuralake.bench;

import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.engine.EngineOptions;
import io.neuralake.frame.DataFrame;
import io.neuralake.query.Query;
import io.neuralake.table.ParquetTable;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * In one process: (a) what a one-row query costs through Neuralake (planning, compiling, the
 * engine, Arrow) beyond bare DuckDB JDBC running the same SQL on the same file, warm; (b) how
 * long after {@code cancel()} the engine's threads stop burning CPU.
 */
final class OverheadBench {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  /** Hours of work for the engine; only the cancel ends it. */
  private static final String ENDLESS_AGGREGATE = "SELECT count(*), sum(a.i * b.i) FROM range(1000000) a(i), range(1000000) b(i)";
  private static final String ENDLESS_GROUPS =
      "SELECT a.i % 1000 AS k, sum(b.i) FROM range(1000000) a(i), range(1000000) b(i) GROUP BY 1";

  /** Idle: CPU under this fraction of what the query used before the cancel. */
  private static final double IDLE_FRACTION = 0.2;

  private OverheadBench() {}

  static String run(Path tpch, int runs, int warmups, int threads) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Engine engine = Engine.create(new EngineOptions(Optional.empty(), threads, Optional.empty()))) {
      Catalog catalog = Catalog.builder("bench").root(tpch.toString()).engine(engine)
          .database("tpch", ParquetTable.builder("nation", "nation").build()).build();
      out.append(planning(catalog, tpch, runs, warmups, threads));
      out.append('\n').append(cancelToIdle(catalog, Math.max(3, runs / 20)));
    }
    return out.toString();
  }

  // ---- (a) planning overhead

  private static String planning(Catalog catalog, Path tpch, int runs, int warmups, int threads) throws Exception {
    String neuralakeSql = "SELECT n_name FROM tpch.nation WHERE n_nationkey = 7";
    String duckdbSql = "SELECT n_name FROM read_parquet('" + tpch.resolve("nation") + "/*.parquet') WHERE n_nationkey = 7";
    List<long[]> nlk = new ArrayList<>();
    List<long[]> prepared = new ArrayList<>();
    List<long[]> duck = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      if (threads > 0) {
        try (Statement s = c.createStatement()) {
          s.execute("SET threads = " + threads);
        }
      }
      for (int i = 0; i < warmups + runs; i++) {
        boolean measured = i >= warmups;
        // interleaved, so both see the same moment of a shared machine
        long[] a = timed(() -> {
          try (DataFrame df = catalog.sql(neuralakeSql).collect()) {
            check(df.rowCount() == 1);
          }
        });
        long[] b = timed(() -> {
          try (Query q = catalog.prepare(neuralakeSql); ArrowReader r = q.open()) {
            long rows = 0;
            while (r.loadNextBatch()) {
              rows += r.getVectorSchemaRoot().getRowCount();
            }
            check(rows == 1);
          }
        });
        long[] d = timed(() -> {
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(duckdbSql)) {
            check(rs.next() && rs.getString(1) != null && !rs.next());
          }
        });
        if (measured) {
          nlk.add(a);
          prepared.add(b);
          duck.add(d);
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("#### Per-query overhead over bare DuckDB (one-row query, warm)\n\n");
    sb.append("`").append(neuralakeSql).append("` on the TPC-H `nation` table (one Parquet file) vs DuckDB JDBC running `")
        .append("SELECT n_name FROM read_parquet('.../nation/*.parquet') WHERE n_nationkey = 7` in the same process; ")
        .append(runs).append(" runs after ").append(warmups).append(" warm-ups, interleaved. CPU: the process's CPU time")
        .append(" per query (all threads, DuckDB's included)")
        .append(String.format(Locale.ROOT, "; load average %.1f on %d cores.%n%n", OS.getSystemLoadAverage(),
            OS.getAvailableProcessors()));
    sb.append("| path | median ms | p95 ms | CPU ms per query (median) |\n|---|---|---|---|\n");
    row(sb, "neuralake `catalog.sql(...).collect()`", nlk);
    row(sb, "neuralake `prepare` + `open` + read", prepared);
    row(sb, "duckdb JDBC", duck);
    sb.append(String.format(Locale.ROOT, "%nOverhead (median, collect − duckdb): %.2f ms wall, %.2f ms CPU.%n",
        median(nlk, 0) - median(duck, 0), median(nlk, 1) - median(duck, 1)));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, List<long[]> samples) {
    sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, median(samples, 0), percentile(samples, 0, 0.95),
        median(samples, 1)));
  }

  // ---- (b) cancel to idle

  private static String cancelToIdle(Catalog catalog, int runs) throws Exception {
    StringBuilder sb = new StringBuilder("#### From cancel() to an idle engine\n\n");
    double idle = cpuRate(1000);
    sb.append(String.format(Locale.ROOT, "A query that would run for hours, cancelled from another thread once the engine"
        + " has run it for 1 s; the CPU time of all the process's threads (DuckDB's included, from /proc/self/task/*/schedstat)"
        + " sampled every 5 ms by a thread whose own CPU is left out. Idle: the start of the first 20 ms window after cancel() in which the process used under"
        + " %.0f%% of the cores it used before the cancel (it idles at %.2f cores). %d runs each; load average %.1f"
        + " on %d cores.%n%n", IDLE_FRACTION * 100, idle, runs, OS.getSystemLoadAverage(), OS.getAvailableProcessors()));
    sb.append("| query | work | cores busy before | cancel → error thrown, ms (median / max) | cancel → idle, ms (median / max) |\n");
    sb.append("|---|---|---|---|---|\n");
    cancelRuns(sb, catalog, ENDLESS_AGGREGATE, "a cross join's sum", runs);
    cancelRuns(sb, catalog, ENDLESS_GROUPS, "a cross join grouped by 1,000 keys", runs);
    return sb.toString();
  }

  private static void cancelRuns(StringBuilder sb, Catalog catalog, String sql, String what, int runs)
      throws Exception {
    List<Double> thrown = new ArrayList<>();
    List<Double> toIdle = new ArrayList<>();
    List<Double> busy = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      try (Query q = catalog.prepare(sql)) {
        CompletableFuture<Long> run = CompletableFuture.supplyAsync(() -> {
          long rows = 0;
          try (ArrowReader r = q.open()) {
            while (r.loadNextBatch()) {
              rows += r.getVectorSchemaRoot().getRowCount();
            }
          } catch (NeuralakeException e) {
            return System.nanoTime();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          throw new IllegalStateException("the endless query ended by itself after " + rows + " rows");
        });
        Thread.sleep(500);
        double before = cpuRate(500);
        busy.add(before);
        long cancelAt = System.nanoTime();
        q.cancel();
        long idleAt = awaitIdle(Math.max(0.05, before * IDLE_FRACTION), 20, 10_000);
        long thrownAt = run.join();
        thrown.add((thrownAt - cancelAt) / 1e6);
        toIdle.add((idleAt - cancelAt) / 1e6);
      }
      Thread.sleep(300);
    }
    sb.append(String.format(Locale.ROOT, "| `%s` | %s | %.2f | %.0f / %.0f | %.0f / %.0f |%n", sql.substring(0, 40) + "…", what,
        medianOf(busy), medianOf(thrown), Collections.max(thrown), medianOf(toIdle), Collections.max(toIdle)));
  }

  /** The moment (nanoTime) at the end of the first window of {@code windowMs} whose CPU rate is under {@code cores}. */
  private static long awaitIdle(double cores, int windowMs, long timeoutMs) throws InterruptedException {
    long start = System.nanoTime();
    List<long[]> samples = new ArrayList<>(); // {nanoTime, cpu}
    while (System.nanoTime() - start < timeoutMs * 1_000_000L) {
      long now = System.nanoTime();
      samples.add(new long[] {now, cpuNanos(false)});
      for (int j = samples.size() - 2; j >= 0; j--) {
        long[] from = samples.get(j);
        if (now - from[0] >= windowMs * 1_000_000L) {
          double rate = (samples.get(samples.size() - 1)[1] - from[1]) / (double) (now - from[0]);
          if (rate < cores) {
            // idle from the start of that window: report its start
            return from[0];
          }
          break;
        }
      }
      Thread.sleep(5);
    }
    return System.nanoTime();
  }

  /** Cores busy on average over {@code ms}. */
  private static double cpuRate(long ms) throws InterruptedException {
    long t0 = System.nanoTime();
    long c0 = cpuNanos(false);
    Thread.sleep(ms);
    return (cpuNanos(false) - c0) / (double) (System.nanoTime() - t0);
  }

  // ---- helpers

  /**
   * CPU time of all the process's threads, DuckDB's native ones included, in nanoseconds: on
   * Linux from each thread's scheduler statistics (exact), else the JVM's process CPU time (which
   * Linux counts in 10 ms ticks, too coarse for one query).
   */
  static long cpuNanos() {
    return cpuNanos(true);
  }

  /** {@link #cpuNanos()}, leaving out the calling thread's own CPU unless {@code withSelf}. */
  static long cpuNanos(boolean withSelf) {
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      long sum = 0;
      // not the measuring thread: reading these files is work of the measurement, not of the engine
      String self = withSelf ? "" : selfTid();
      try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
        for (Path t : threads) {
          if (t.getFileName().toString().equals(self)) {
            continue;
          }
          try {
            String stat = Files.readString(t.resolve("schedstat"));
            sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
          } catch (IOException | RuntimeException e) {
            // the thread ended between listing and reading
          }
        }
        return sum;
      } catch (IOException e) {
        // fall through
      }
    }
    return OS.getProcessCpuTime();
  }

  private static String selfTid() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  /** {wall ns, process CPU ns} of one run. */
  private static long[] timed(Work work) throws Exception {
    long c0 = cpuNanos();
    long t0 = System.nanoTime();
    work.run();
    return new long[] {System.nanoTime() - t0, cpuNanos() - c0};
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("the one-row query did not return its one row");
    }
  }

  private static double median(List<long[]> samples, int i) {
    return percentile(samples, i, 0.5);
  }

  private static double percentile(List<long[]> samples, int i, double p) {
    List<Long> v = new ArrayList<>(samples.stream().map(s -> s[i]).toList());
    Collections.sort(v);
    int k = (int) Math.min(v.size() - 1, Math.max(0, Math.ceil(p * v.size()) - 1));
    return v.get(k) / 1e6;
  }

  private static double medianOf(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get((s.size() - 1) / 2);
  }
}
