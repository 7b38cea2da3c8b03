package io.neuralake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.neuralake.catalog.Catalog;
import io.neuralake.engine.EngineOptions;
import io.neuralake.query.Query;
import io.neuralake.query.QueryLimits;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.sample.SampleLake;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerLimits;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * The server's doors measured in one process: a {@link NeuralakeServer} over a generated lake
 * (TPC-H tables and a partitioned {@code bci.spikes}), on loopback, open (no users). Latency p50/p99
 * of a one-partition REST read (HTTP) and of a small aggregate (HTTP {@code /api/sql}, Flight SQL
 * JDBC, PostgreSQL JDBC) under 1 and 16 concurrent clients; throughput of a large result over
 * HTTP Arrow stream and Flight SQL (Arrow's own client, batch by batch, then the JDBC driver, which
 * makes a Java object of every value) against the same result read in-process. A door the server does
 * not open, or a client driver that is not on the class path, is reported as not available.
 */
final class ServerBench {
  static final String ONE_PARTITION_PATH = "/api/tables/bci.spikes?filter%5Bimplant_id%5D=4595&filter%5Bdate%5D=2024-04-28";
  static final String AGGREGATE = "SELECT o_orderstatus, count(*) AS n, sum(o_totalprice) AS total FROM tpch.orders"
      + " GROUP BY o_orderstatus ORDER BY o_orderstatus";
  static final String LARGE = "SELECT * FROM tpch.lineitem";
  private static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);

  /** How much to run. */
  record Plan(double scaleFactor, int requestsPerClient, int warmupsPerClient, List<Integer> clients, int largeRuns) {}

  /** One measured latency case: p50/p99 in ms, or why it could not run. */
  record Latency(String query, String door, int clients, int requests, Double p50Ms, Double p99Ms, String unavailable) {}

  /** One throughput case against the in-process read of the same result. */
  record Throughput(String door, long rows, long arrowBytes, Double medianMs, Double mbPerSecond, Double rowsPerSecond,
      Double ratioToInProcess, String unavailable, Double cpuSecondsPerGb) {
    Throughput(String door, long rows, long arrowBytes, String unavailable) {
      this(door, rows, arrowBytes, null, null, null, null, unavailable, null);
    }
  }

  private ServerBench() {}

  /** Runs the plan over {@code data} (TPC-H, from {@link TpchDataset}); writes Markdown and JSON to {@code results}. */
  static String run(Path data, Path work, Plan plan, Path results) throws Exception {
    Path spikes = work.resolve("server-lake");
    if (!Files.exists(spikes.resolve("spikes"))) {
      SampleLake.create(spikes);
    }
    Path cache = work.resolve("server-cache").toAbsolutePath();
    try (LakeRuntime runtime = LakeRuntime.builder().root(data.toString()).cacheFolder(cache)
        .engineOptions(EngineOptions.fromEnvironment().locked(data, spikes, cache)).build()) {
      Catalog catalog = Catalog.builder("bench").runtime(runtime)
          .database("tpch", ParquetTable.builder("orders", "orders").build(),
              ParquetTable.builder("lineitem", "lineitem").build())
          .database("bci", ParquetTable.builder("spikes", spikes.resolve("spikes").toString())
              .partitioning(PartitioningScheme.HIVE, Partition.of("implant_id", DataType.INT64),
                  Partition.of("date", DataType.STRING)).build())
          .build();
      ServerLimits d = ServerLimits.defaults();
      // the large result must not meet the row or byte caps; the queue must hold 16 clients
      ServerLimits limits = new ServerLimits(QueryLimits.none().withWallTime(Duration.ofMinutes(10)),
          d.maxConcurrentQueries(), 64, Duration.ofMinutes(2), d.maxRequestBytes(), d.maxHeaderBytes(),
          d.idleTimeout(), Duration.ofSeconds(5));
      try (NeuralakeServer server = NeuralakeServer.builder(catalog).httpPort(NeuralakeServer.ANY_PORT)
          .flightPort(NeuralakeServer.ANY_PORT).pgPort(NeuralakeServer.ANY_PORT).limits(limits).start()) {
        Doors doors = new Doors(server);
        List<Latency> latencies = new ArrayList<>();
        for (int c : plan.clients()) {
          latencies.add(latency("one-partition REST read", "http", c, plan, doors.http(), http -> restRead(http)));
          latencies.add(latency("small aggregate", "http", c, plan, doors.http(), http -> httpSql(http, AGGREGATE,
              "application/json")));
          latencies.add(latency("small aggregate", "flight", c, plan, doors.flight(), url -> jdbc(url, AGGREGATE)));
          latencies.add(latency("small aggregate", "pg", c, plan, doors.pg(), url -> jdbc(url, AGGREGATE)));
        }
        List<Throughput> throughput = throughput(catalog, doors, plan.largeRuns());
        return write(plan, latencies, throughput, results);
      }
    }
  }

  /** Where each door is, or why it is not available. */
  private record Doors(Endpoint http, Endpoint flight, Endpoint flightArrow, Endpoint pg) {
    Doors(NeuralakeServer server) {
      this(endpoint(server.httpPort(), p -> "http://127.0.0.1:" + p),
          endpoint(server.flightPort(), p -> "jdbc:arrow-flight-sql://127.0.0.1:" + p + "?useEncryption=false"),
          endpoint(server.flightPort(), p -> "grpc+tcp://127.0.0.1:" + p),
          endpoint(server.pgPort(), p -> "jdbc:postgresql://127.0.0.1:" + p + "/tpch?user=bench&password=bench"));
    }

    private static Endpoint endpoint(OptionalInt port, java.util.function.IntFunction<String> url) {
      return port.isPresent() ? new Endpoint(url.apply(port.getAsInt()), null)
          : new Endpoint(null, "not available: the server has no such door in this build");
    }
  }

  private record Endpoint(String url, String unavailable) {}

  /** One request of a client; returns rows (or bytes) received, to check something came. */
  @FunctionalInterface
  private interface Call {
    long run(Client client) throws Exception;
  }

  /**
   * A client's connection: an HTTP client, a JDBC connection, or Arrow's own Flight SQL client
   * (batches as they arrive, no per-value conversion).
   */
  private record Client(String url, HttpClient http, Connection jdbc, FlightSqlClient flight, BufferAllocator allocator)
      implements AutoCloseable {
    static Client open(String url) throws Exception {
      if (url.startsWith("jdbc:")) {
        Properties props = new Properties();
        return new Client(url, null, DriverManager.getConnection(url, props), null, null);
      }
      if (url.startsWith("grpc")) {
        BufferAllocator allocator = new RootAllocator();
        FlightClient client = FlightClient.builder(allocator, new Location(url)).build();
        return new Client(url, null, null, new FlightSqlClient(client), allocator);
      }
      return new Client(url, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), null, null,
          new RootAllocator());
    }

    @Override
    public void close() throws Exception {
      if (jdbc != null) {
        jdbc.close();
      }
      if (flight != null) {
        flight.close();
      }
      if (allocator != null) {
        allocator.close();
      }
      if (http != null) {
        http.close();
      }
    }
  }

  private static Latency latency(String query, String door, int clients, Plan plan, Endpoint endpoint, Call call) {
    if (endpoint.unavailable() != null) {
      return new Latency(query, door, clients, 0, null, null, endpoint.unavailable());
    }
    System.err.println(query + " over " + door + ", " + clients + " client(s) ...");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        futures.add(pool.submit(() -> {
          try (Client client = Client.open(endpoint.url())) {
            List<Long> nanos = new ArrayList<>();
            for (int r = 0; r < plan.warmupsPerClient() + plan.requestsPerClient(); r++) {
              long start = System.nanoTime();
              if (call.run(client) <= 0) {
                throw new IllegalStateException("an empty answer");
              }
              if (r >= plan.warmupsPerClient()) {
                nanos.add(System.nanoTime() - start);
              }
            }
            return nanos;
          }
        }));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> f : futures) {
        all.addAll(f.get(30, TimeUnit.MINUTES));
      }
      Collections.sort(all);
      return new Latency(query, door, clients, all.size(), percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, null);
    } catch (Exception e) {
      return new Latency(query, door, clients, 0, null, null, "not available: " + reason(e));
    } finally {
      pool.shutdownNow();
    }
  }

  private static long restRead(Client client) throws Exception {
    HttpResponse<byte[]> r = client.http().send(HttpRequest.newBuilder(URI.create(client.url() + ONE_PARTITION_PATH))
        .header("Accept", "application/json").timeout(CALL_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    return ok(r).body().length;
  }

  private static long httpSql(Client client, String sql, String accept) throws Exception {
    HttpResponse<byte[]> r = client.http().send(sqlRequest(client.url(), sql, accept), HttpResponse.BodyHandlers.ofByteArray());
    return ok(r).body().length;
  }

  private static HttpRequest sqlRequest(String base, String sql, String accept) {
    return HttpRequest.newBuilder(URI.create(base + "/api/sql")).header("Accept", accept)
        .header("Content-Type", "text/plain").timeout(CALL_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(sql)).build();
  }

  private static <T> HttpResponse<T> ok(HttpResponse<T> r) {
    if (r.statusCode() != 200) {
      Object body = r.body();
      String text = body instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : "";
      throw new IllegalStateException("HTTP " + r.statusCode() + " " + text.substring(0, Math.min(200, text.length())));
    }
    return r;
  }

  private static long jdbc(Client client, String sql) throws Exception {
    try (Statement s = client.jdbc().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      long rows = 0;
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
        rows++;
      }
      return rows;
    }
  }

  // ---- throughput of a large result

  /** One way to read the large result: where, and how. */
  private record LargePath(String name, Endpoint endpoint, Call call) {}

  /**
   * The large result over each path, the in-process read among them: round after round, each path
   * once per round, so that a busy moment of the shared machine falls on every path alike.
   */
  private static List<Throughput> throughput(Catalog catalog, Doors doors, int runs) {
    System.err.println("large result in-process ...");
    long[] inProcess = readInProcess(catalog); // also warms the engine and the file cache
    long rows = inProcess[0];
    long bytes = inProcess[1];
    List<LargePath> paths = List.of(
        new LargePath("in-process (Query.open)", new Endpoint("in-process", null), client -> readInProcess(catalog)[0]),
        new LargePath("http (Arrow stream, java.net.http)", doors.http(), ServerBench::httpArrowRows),
        new LargePath("http (Arrow stream, HttpURLConnection)", doors.http(), ServerBench::urlConnectionArrowRows),
        new LargePath("flight (Arrow FlightSqlClient)", doors.flightArrow(), ServerBench::flightArrowRows),
        new LargePath("flight (JDBC driver, values as Java objects)", doors.flight(), client -> jdbc(client, LARGE)));
    Map<LargePath, List<Long>> nanos = new LinkedHashMap<>();
    Map<LargePath, List<Long>> cpuNanos = new LinkedHashMap<>();
    Map<LargePath, String> unavailable = new LinkedHashMap<>();
    for (LargePath p : paths) {
      nanos.put(p, new ArrayList<>());
      cpuNanos.put(p, new ArrayList<>());
      if (p.endpoint().unavailable() != null) {
        unavailable.put(p, p.endpoint().unavailable());
      }
    }
    for (int round = 0; round <= runs; round++) { // round 0 warms up
      for (LargePath p : paths) {
        if (unavailable.containsKey(p)) {
          continue;
        }
        System.err.println("large result, round " + round + ", " + p.name() + " ...");
        try (Client client = p.endpoint().url().equals("in-process") ? null : Client.open(p.endpoint().url())) {
          long start = System.nanoTime();
          // the whole process (engine, server and client threads alike), so the cost of a door shows beside the
          // in-process read's even when other processes share the cores
          long cpu = ProcessCpu.thisProcessNanos();
          long got = p.call().run(client);
          if (got != rows) {
            throw new IllegalStateException(got + " rows received, " + rows + " expected");
          }
          if (round > 0) {
            nanos.get(p).add(System.nanoTime() - start);
            cpuNanos.get(p).add(ProcessCpu.thisProcessNanos() - cpu);
          }
        } catch (Exception e) {
          unavailable.put(p, "not available: " + reason(e));
        }
      }
    }
    double localMs = Report.median(nanos.get(paths.get(0))) / 1e6;
    List<Throughput> out = new ArrayList<>();
    for (LargePath p : paths) {
      if (unavailable.containsKey(p)) {
        out.add(new Throughput(p.name(), rows, bytes, unavailable.get(p)));
      } else {
        double ms = Report.median(nanos.get(p)) / 1e6;
        out.add(new Throughput(p.name(), rows, bytes, ms, bytes / 1e6 / (ms / 1e3), rows / (ms / 1e3), localMs / ms, null,
            cpuPerGb(cpuNanos.get(p), bytes)));
      }
    }
    return out;
  }

  /** Median CPU seconds per GB of Arrow bytes. */
  private static double cpuPerGb(List<Long> cpuNanos, long bytes) {
    return Report.median(cpuNanos) / 1e9 / (bytes / 1e9);
  }

  /** Rows and Arrow buffer bytes of the large result, read batch by batch in-process. */
  private static long[] readInProcess(Catalog catalog) {
    try (Query q = catalog.prepare(LARGE); ArrowReader r = q.open(QueryLimits.none())) {
      long rows = 0;
      long bytes = 0;
      while (r.loadNextBatch()) {
        VectorSchemaRoot root = r.getVectorSchemaRoot();
        rows += root.getRowCount();
        for (FieldVector v : root.getFieldVectors()) {
          bytes += v.getBufferSize();
        }
      }
      return new long[] {rows, bytes};
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The large result as an Arrow stream over HTTP with java.net.http, decoded batch by batch; returns its rows. */
  private static long httpArrowRows(Client client) throws Exception {
    HttpResponse<InputStream> r = client.http().send(sqlRequest(client.url(), LARGE, ARROW_STREAM),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + r.statusCode() + " " + new String(body.readNBytes(200),
            java.nio.charset.StandardCharsets.UTF_8));
      }
      return arrowRows(body, client.allocator());
    }
  }

  /** The same with the JDK's older HttpURLConnection (a blocking socket read into the caller's array). */
  private static long urlConnectionArrowRows(Client client) throws Exception {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(client.url() + "/api/sql").toURL()
        .openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setConnectTimeout(10_000);
    c.setReadTimeout((int) CALL_TIMEOUT.toMillis());
    c.setRequestProperty("Accept", ARROW_STREAM);
    c.setRequestProperty("Content-Type", "text/plain");
    try (java.io.OutputStream o = c.getOutputStream()) {
      o.write(LARGE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (c.getResponseCode() != 200) {
      throw new IllegalStateException("HTTP " + c.getResponseCode());
    }
    try (InputStream body = c.getInputStream()) {
      return arrowRows(body, client.allocator());
    }
  }

  private static long arrowRows(InputStream body, BufferAllocator allocator) throws IOException {
    try (ArrowStreamReader reader = new ArrowStreamReader(body, allocator)) {
      long rows = 0;
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      return rows;
    }
  }

  /** The large result through Arrow's Flight SQL client, batch by batch from each endpoint's stream; returns its rows. */
  private static long flightArrowRows(Client client) throws Exception {
    CallOption timeout = CallOptions.timeout(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    FlightInfo info = client.flight().execute(LARGE, timeout);
    long rows = 0;
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = client.flight().getStream(endpoint.getTicket(), timeout)) {
        while (stream.next()) {
          rows += stream.getRoot().getRowCount();
        }
      }
    }
    return rows;
  }

  // ---- report

  private static String write(Plan plan, List<Latency> latencies, List<Throughput> throughput, Path results)
      throws IOException {
    Map<String, Object> machine = Report.machine();
    String title = "Server doors, TPC-H SF " + TpchDataset.format(plan.scaleFactor()) + " (in-process server on loopback, open)";
    StringBuilder md = new StringBuilder("### ").append(title).append("\n\n");
    md.append("Machine: ").append(machine.get("cores")).append(" cores, ").append(machine.get("memory")).append(", ")
        .append(machine.get("jdk")).append("; DuckDB ").append(machine.get("duckdb")).append(". ")
        .append(machine.get("date")).append(".\n\n");
    md.append("Latency: ").append(plan.requestsPerClient()).append(" requests per client after ")
        .append(plan.warmupsPerClient()).append(" warm-ups, each client on its own connection. One-partition REST read: `GET ")
        .append(ONE_PARTITION_PATH.replace("%5B", "[").replace("%5D", "]")).append("` (JSON, 2,000 rows of 18,000);")
        .append(" small aggregate: `").append(AGGREGATE).append("`.\n\n");
    md.append("| query | door | clients | p50 ms | p99 ms |\n|---|---|---|---|---|\n");
    for (Latency l : latencies) {
      md.append("| ").append(l.query()).append(" | ").append(l.door()).append(" | ").append(l.clients()).append(" | ");
      md.append(l.unavailable() == null ? fmt(l.p50Ms()) + " | " + fmt(l.p99Ms()) : l.unavailable() + " | ").append(" |\n");
    }
    Throughput base = throughput.get(0);
    md.append("\nThroughput of a large result, `").append(LARGE).append("` (").append(String.format(Locale.ROOT, "%,d", base.rows()))
        .append(" rows, ").append(String.format(Locale.ROOT, "%.1f", base.arrowBytes() / 1e6))
        .append(" MB of Arrow buffers), median of ").append(plan.largeRuns()).append(" rounds after one warm-up round")
        .append(" (each round reads it once per path, in-process too, one after the other); MB/s of")
        .append(" those Arrow bytes; ratio = in-process time ÷ door time (goal ≥ 0.7); CPU s/GB = CPU time of the")
        .append(" whole process (engine, server and client) per GB of those bytes:\n\n");
    md.append("| path | median ms | MB/s | rows/s | ratio to in-process | CPU s/GB |\n|---|---|---|---|---|---|\n");
    for (Throughput t : throughput) {
      md.append("| ").append(t.door()).append(" | ");
      if (t.unavailable() != null) {
        md.append(t.unavailable()).append(" | | | | |\n");
      } else {
        md.append(fmt(t.medianMs())).append(" | ").append(String.format(Locale.ROOT, "%.0f", t.mbPerSecond())).append(" | ")
            .append(String.format(Locale.ROOT, "%,.0f", t.rowsPerSecond())).append(" | ")
            .append(String.format(Locale.ROOT, "%.2f", t.ratioToInProcess())).append(" | ")
            .append(String.format(Locale.ROOT, "%.2f", t.cpuSecondsPerGb())).append(" |\n");
      }
    }
    Files.createDirectories(results);
    String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path mdFile = results.resolve("server-sf" + TpchDataset.format(plan.scaleFactor()) + "-" + stamp + ".md");
    Files.writeString(mdFile, md.toString());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("suite", "server");
    json.put("title", title);
    json.put("date", ZonedDateTime.now(ZoneOffset.UTC).toString());
    json.put("machine", machine);
    json.put("plan", plan);
    json.put("latency", latencies);
    json.put("throughput", throughput);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(results.resolve(mdFile.getFileName().toString().replace(".md", ".json")).toFile(), json);
    return md + "\n(written to " + mdFile + " and .json)\n";
  }

  private static String fmt(Double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }

  private static String reason(Throwable e) {
    Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof java.sql.SQLException && m.startsWith("No suitable driver")) {
      return "no JDBC driver for it on the class path";
    }
    return m.lines().findFirst().orElse(m);
  }

  private static double percentile(List<Long> sorted, double p) {
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
