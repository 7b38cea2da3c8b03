package io.neuralake.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.delta.DeltaTable;
import io.neuralake.frame.DataFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 clients on the three doors at once (HTTP SQL and REST through java.net.http, PostgreSQL wire
 * through pgJDBC, Flight SQL through its JDBC driver) for a bounded time, while a writer beside the
 * server appends small batches to {@code tpch.orders}. No request fails, no query started after a
 * commit was acknowledged misses it, and the engine's Arrow memory and the heap stay bounded.
 * Latencies are printed, never asserted (a shared 2-core machine decides them).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LoadTest {
  // long enough for dozens of commits and thousands of requests on every door, short enough for a test run
  static final Duration RUN = Duration.ofSeconds(15);
  // generous: a loaded 2-core machine with three other builds may stall a call for seconds, not a minute
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  static final int CLIENTS = 32;
  static final int BATCH = 5;
  // keys of the writer's rows start here, above every sample order key
  static final long NEW_KEYS = 1_000_000L;
  /*
   * Each query's result is one count or at most a few hundred 8-byte keys, and at most
   * MAX_CONCURRENT of them hold Arrow batches at once; a batch of vectors of one column takes at
   * most a few hundred KB with Arrow's buffer rounding. 64 MB is far above that and far below what
   * a leak (buffers kept per request, thousands of requests) would reach.
   */
  static final long ARROW_BOUND = 64L << 20;
  // the lake's catalog, DuckDB's JDBC objects, the clients' drivers: well under this once collected
  static final long HEAP_BOUND = 768L << 20;
  // 8 run at once and 64 may wait for 2 minutes: 32 clients always fit, so OVERLOADED is an error here
  static final int MAX_CONCURRENT = 8;
  static final int MAX_QUEUED = 64;

  @TempDir static Path dir;
  static ServerFixture lake;
  static ServerFixture writer;
  static NeuralakeServer server;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    writer = lake.writer(dir.resolve("writer"));
    ServerLimits d = ServerLimits.defaults();
    ServerLimits limits = new ServerLimits(d.query().withWallTime(CALL_TIMEOUT), MAX_CONCURRENT, MAX_QUEUED,
        Duration.ofMinutes(2), d.maxRequestBytes(), d.maxHeaderBytes(), d.idleTimeout(), d.shutdownGrace());
    assertThat(CLIENTS).isLessThanOrEqualTo(MAX_CONCURRENT + MAX_QUEUED);
    server = lake.start(b -> b.limits(limits));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    writer.close();
    lake.close();
  }

  /** What the run saw: latencies per door, and every failure with its door and query. */
  static final class Record {
    final Map<String, ConcurrentLinkedQueue<Long>> nanos = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

    void ok(String door, long nanos) {
      this.nanos.computeIfAbsent(door, k -> new ConcurrentLinkedQueue<>()).add(nanos);
    }

    void error(String door, String query, String what) {
      failures.computeIfAbsent(door, k -> new AtomicLong()).incrementAndGet();
      errors.add(door + " | " + query + " | " + what);
    }
  }

  final Record record = new Record();
  // the row count every acknowledged commit guarantees; only grows
  final AtomicLong acknowledged = new AtomicLong();
  long base;
  long deadline;

  @Test
  void clientsOnEveryDoorBesideAWriterSeeEveryAcknowledgedCommitInBoundedMemory() throws Exception {
    BufferAllocator allocator = lake.catalog.context().engine().allocator();
    long arrowBefore = allocator.getAllocatedMemory();
    try (DataFrame df = lake.catalog.sql("SELECT count(*) AS n FROM tpch.orders").collect()) {
      base = ((Number) df.rows().get(0).get("n")).longValue();
    }
    acknowledged.set(base);
    deadline = System.nanoTime() + RUN.toNanos();

    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 2);
    List<Future<?>> running = new ArrayList<>();
    AtomicLong arrowPeak = new AtomicLong();
    running.add(threads.submit(this::write));
    running.add(threads.submit(() -> sample(allocator, arrowPeak)));
    for (int i = 0; i < CLIENTS; i++) {
      int client = i;
      running.add(threads.submit(() -> client(client)));
    }
    threads.shutdown();
    // every loop ends at the deadline; a call in flight then ends within its timeout
    boolean ended = threads.awaitTermination(RUN.plus(CALL_TIMEOUT.multipliedBy(3)).toSeconds(), TimeUnit.SECONDS);
    for (Future<?> f : running) {
      if (f.isDone()) {
        f.get();
      }
    }

    long arrowAfter = awaitArrowReleased(allocator, arrowBefore);
    long heap = heapAfterGc();
    printSummary(arrowBefore, arrowPeak.get(), arrowAfter, heap);

    assertThat(ended).as("every client and the writer stopped by themselves").isTrue();
    assertThat(record.errors).as("client errors (door | query | error)").isEmpty();
    assertThat(acknowledged.get() - base).as("rows the writer committed").isGreaterThanOrEqualTo(BATCH);
    assertThat(record.nanos.keySet()).as("doors that answered").contains("http sql", "http rest", "pg", "flight");
    assertThat(arrowPeak.get()).as("engine Arrow memory during the run").isLessThan(ARROW_BOUND);
    assertThat(arrowAfter).as("engine Arrow memory after the run").isLessThanOrEqualTo(arrowBefore + (1L << 20));
    assertThat(heap).as("heap after GC").isLessThan(HEAP_BOUND);
  }

  /** The writer: small batches with new keys in partition F; each acknowledged commit raises the guaranteed count. */
  private void write() {
    DeltaTable orders = (DeltaTable) writer.catalog.db("tpch").definition("orders");
    for (int round = 1; System.nanoTime() < deadline; round++) {
      String sql = "SELECT o_orderkey + " + NEW_KEYS * round + " AS o_orderkey, o_custkey, 'F' AS o_orderstatus,"
          + " o_totalprice, o_orderdate, o_orderpriority FROM tpch.orders ORDER BY o_orderkey LIMIT " + BATCH;
      try {
        orders.append(writer.catalog.sql(sql)).context(writer.catalog.context()).commit();
        acknowledged.set(base + (long) round * BATCH);
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        record.error("writer", sql, e.toString());
        return;
      }
    }
  }

  private void sample(BufferAllocator allocator, AtomicLong peak) {
    while (System.nanoTime() < deadline) {
      peak.accumulateAndGet(allocator.getAllocatedMemory(), Math::max);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One client: a door by its number, queries until the deadline; stops at its first failure. */
  private void client(int n) {
    ExecutorService calls = Executors.newSingleThreadExecutor();
    try {
      switch (n % 3) {
        case 0 -> http(calls, n);
        case 1 -> pg(calls);
        default -> flight(calls);
      }
    } catch (Exception e) {
      record.error(n % 3 == 0 ? "http" : n % 3 == 1 ? "pg" : "flight", "(connect)", e.toString());
    } finally {
      calls.shutdownNow();
    }
  }

  private void http(ExecutorService calls, int n) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    String base = "http://127.0.0.1:" + server.httpPort().orElseThrow();
    String sql = "SELECT count(*) AS n FROM tpch.orders";
    // a REST read pruned to partition F: the writer's rows only
    String rest = "/api/tables/tpch.orders?filter[o_orderstatus]=F&filter[o_orderkey]gte=" + NEW_KEYS
        + "&columns=o_orderkey";
    for (int i = n; ; i++) {
      boolean restRead = i % 2 == 1;
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + (restRead ? rest : "/api/sql")))
          .timeout(CALL_TIMEOUT).header("Authorization", "Bearer " + ServerFixture.ADMIN_TOKEN)
          .header("Accept", "text/csv");
      HttpRequest request = restRead ? b.GET().build() : b.POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8)).build();
      boolean more = query(calls, restRead ? "http rest" : "http sql", restRead ? "GET " + rest : sql, restRead ? NEW_KEYS : 0,
          () -> {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
            if (r.statusCode() != 200) {
              throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }
            String[] lines = r.body().split("\r\n");
            return restRead ? lines.length - 1L : Long.parseLong(lines[1].trim());
          }, i == n);
      if (!more) {
        return;
      }
    }
  }

  private void pg(ExecutorService calls) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "admin");
    p.setProperty("password", ServerFixture.ADMIN_PASSWORD);
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", Long.toString(CALL_TIMEOUT.toSeconds()));
    String url = "jdbc:postgresql://127.0.0.1:" + server.pgPort().orElseThrow() + "/test";
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, p)) {
      record.ok("pg connect", System.nanoTime() - start);
      prepared(calls, "pg", c);
    }
  }

  private void flight(ExecutorService calls) throws SQLException {
    String url = "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort().orElseThrow() + "?useEncryption=false"
        + "&user=admin&password=" + ServerFixture.ADMIN_PASSWORD;
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url)) {
      record.ok("flight connect", System.nanoTime() - start);
      prepared(calls, "flight", c);
    }
  }

  /** One prepared statement executed again and again, alternating its parameter: all rows, then the writer's. */
  private void prepared(ExecutorService calls, String door, Connection c) throws SQLException {
    String sql = "SELECT count(*) AS n FROM tpch.orders WHERE o_orderkey >= ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; ; i++) {
        long from = i % 2 == 0 ? 0 : NEW_KEYS;
        boolean more = query(calls, door, sql + " [" + from + "]", from, () -> {
          ps.setLong(1, from);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new IllegalStateException("no row");
            }
            return rs.getLong(1);
          }
        }, i == 0);
        if (!more) {
          return;
        }
      }
    }
  }

  /**
   * Runs one call (with a timeout) unless the deadline passed and the client has had its first
   * answer (on a crowded machine connecting alone may take most of the run), and checks the count it
   * returns against the commits acknowledged before it started. False when the client should stop.
   */
  private boolean query(ExecutorService calls, String door, String query, long fromKey, Callable<Long> call,
      boolean first) {
    if (!first && System.nanoTime() >= deadline) {
      return false;
    }
    long guaranteed = acknowledged.get() - (fromKey == 0 ? 0 : base);
    long start = System.nanoTime();
    Future<Long> f = calls.submit(call);
    long got;
    try {
      got = f.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      record.error(door, query, "no answer within " + CALL_TIMEOUT);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      record.error(door, query, String.valueOf(e.getCause()));
      return false;
    }
    record.ok(door, System.nanoTime() - start);
    long committed = fromKey == 0 ? got - base : got;
    if (got < guaranteed) {
      record.error(door, query, "stale read: " + got + " rows, but " + guaranteed + " were acknowledged before it started");
    } else if (committed < 0 || committed % BATCH != 0) {
      record.error(door, query, got + " rows is no committed state (base " + base + ", batches of " + BATCH + ")");
    }
    return true;
  }

  /** Bounded wait for results closed on other threads to give their buffers back. */
  private static long awaitArrowReleased(BufferAllocator allocator, long before) throws InterruptedException {
    for (int i = 0; i < 100 && allocator.getAllocatedMemory() > before + (1L << 20); i++) {
      Thread.sleep(100);
    }
    return allocator.getAllocatedMemory();
  }

  private static long heapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private void printSummary(long arrowBefore, long arrowPeak, long arrowAfter, long heap) {
    StringBuilder out = new StringBuilder(String.format("%nLoad: %d clients, %d s, %d rows committed by the writer%n",
        CLIENTS, RUN.toSeconds(), acknowledged.get() - base));
    out.append(String.format("%-14s %9s %7s %8s %8s%n", "door", "requests", "errors", "p50 ms", "max ms"));
    for (String door : List.of("http sql", "http rest", "pg", "flight", "pg connect", "flight connect", "http", "writer")) {
      List<Long> ns = new ArrayList<>(record.nanos.getOrDefault(door, new ConcurrentLinkedQueue<>()));
      long errors = record.failures.getOrDefault(door, new AtomicLong()).get();
      if (ns.isEmpty() && errors == 0) {
        continue;
      }
      ns.sort(null);
      double p50 = ns.isEmpty() ? Double.NaN : ns.get(ns.size() / 2) / 1e6;
      double max = ns.isEmpty() ? Double.NaN : ns.get(ns.size() - 1) / 1e6;
      out.append(String.format("%-14s %9d %7d %8.1f %8.1f%n", door, ns.size(), errors, p50, max));
    }
    out.append(String.format("Arrow (engine): before %d B, peak %d B, after %d B; heap after GC %d MB%n",
        arrowBefore, arrowPeak, arrowAfter, heap >> 20));
    record.errors.forEach(e -> out.append("ERROR ").append(e).append('\n'));
    System.out.print(out);
  }
}
