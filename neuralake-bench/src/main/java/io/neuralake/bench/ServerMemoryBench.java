package io.neuralake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * A result larger than the server's memory, streamed over HTTP, against the same result held
 * whole (what a server that buffers a result before encoding it — ROAPI collects DataFusion's
 * record batches, then encodes them — must hold). The server runs in a JVM of its own with a small
 * heap and engine memory limit; this process is its client. For each format: the server's peak
 * resident memory (Linux's VmHWM, reset before each request), its peak heap, the bytes sent, and
 * the CPU time of server and client, beside an in-process read of the same result in a JVM like the
 * server's. Figures only; nothing here is asserted.
 */
final class ServerMemoryBench {
  static final String SQL = "SELECT * FROM tpch.lineitem";

  /** One measured case. */
  record Row(String what, long rows, long arrowBytes, long bytesSent, double seconds, double peakRssMb,
      double peakHeapMb, double serverCpuSeconds, Double clientCpuSeconds) {}

  private ServerMemoryBench() {}

  static String run(Path data, Path work, String heap, String engineMemory, Path results) throws Exception {
    Path cache = Files.createDirectories(work.resolve("server-memory-cache")).toAbsolutePath();
    Map<String, String> env = Map.of("NEURALAKE_MEMORY_LIMIT", engineMemory);
    List<Row> rows = new ArrayList<>();
    System.err.println("in-process read (dropping each batch), twice ...");
    inProcess("read", data, cache, heap, env, work);
    rows.add(inProcess("read", data, cache, heap, env, work));
    System.err.println("in-process, every batch kept (a buffering server) ...");
    rows.add(inProcess("collect", data, cache, heap, env, work));
    try (Child server = Child.start(List.of("serve", data.toString(), cache.toString()), heap, env,
        work.resolve("server-memory-serve.log"))) {
      String base = "http://127.0.0.1:" + server.ready().split(" ")[1];
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      server.peakHeap(); // an idle server's memory, before any request
      rows.add(server.measure("server at rest (no request)", 0, 0, () -> 0L));
      long arrowBytes = rows.get(0).arrowBytes();
      long resultRows = rows.get(0).rows();
      request(http, base, "application/vnd.apache.arrow.stream"); // warm-up
      for (String accept : List.of("application/vnd.apache.arrow.stream", "text/csv", "application/json",
          "application/vnd.apache.parquet")) {
        System.err.println("streamed over HTTP as " + accept + " ...");
        rows.add(server.measure("HTTP " + accept, resultRows, arrowBytes, () -> request(http, base, accept)));
      }
    }
    return write(rows, heap, engineMemory, results);
  }

  /** The result read in a JVM of its own ({@code read}: batch by batch; {@code collect}: all kept). */
  private static Row inProcess(String mode, Path data, Path cache, String heap, Map<String, String> env, Path work)
      throws Exception {
    try (Child c = Child.start(List.of(mode, data.toString(), cache.toString(), SQL), heap, env,
        work.resolve("server-memory-" + mode + ".log"))) {
      String[] done = c.ready().split(" ");
      if (!done[0].equals("DONE")) {
        throw new IOException(mode + " failed: " + String.join(" ", done));
      }
      long heapPeak = Long.parseLong(c.line().split(" ")[1]);
      double rss = c.peakRssMb();
      return new Row(mode.equals("read") ? "in-process, batch by batch" : "in-process, whole result kept (buffered)",
          Long.parseLong(done[1]), Long.parseLong(done[2]), 0, Long.parseLong(done[3]) / 1e9, rss, heapPeak / 1e6,
          Long.parseLong(done[4]) / 1e9, null);
    }
  }

  /** Asks for the whole result in {@code accept} and reads it as a client would; returns the bytes received. */
  private static long request(HttpClient http, String base, String accept) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/sql")).header("Accept", accept)
        .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofString(SQL)).build();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + ": " + new String(body.readNBytes(300), StandardCharsets.UTF_8));
      }
      CountingStream counted = new CountingStream(body);
      if (accept.contains("arrow")) {
        try (BufferAllocator allocator = new RootAllocator(); ArrowStreamReader reader = new ArrowStreamReader(counted,
            allocator)) {
          while (reader.loadNextBatch()) {
            reader.getVectorSchemaRoot().getRowCount();
          }
        }
      } else {
        counted.transferTo(OutputStream.nullOutputStream());
      }
      return counted.count;
    }
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }

  @FunctionalInterface
  private interface Request {
    long send() throws Exception;
  }

  /** A {@link ServeProcess} and what Linux says about its memory and CPU. */
  private record Child(Process process, BufferedReader out, PrintStream in, String ready) implements AutoCloseable {
    static Child start(List<String> args, String heap, Map<String, String> env, Path log) throws IOException {
      List<String> command = WorkerProcess.javaCommand(heap, ServeProcess.class);
      command.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      if (first == null) {
        throw new IOException("the server process ended before it was ready; its log: " + log);
      }
      return new Child(p, out, new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8), first);
    }

    String line() throws IOException {
      return out.readLine();
    }

    long peakHeap() throws IOException {
      in.println("PEAK");
      return Long.parseLong(line().split(" ")[1]);
    }

    Row measure(String what, long rows, long arrowBytes, Request request) throws Exception {
      peakHeap();
      Files.writeString(Path.of("/proc/" + process.pid() + "/clear_refs"), "5"); // resets VmHWM to the present RSS
      com.sun.management.OperatingSystemMXBean me =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long clientCpu = me.getProcessCpuTime();
      long serverCpu = cpuNanos();
      long start = System.nanoTime();
      long sent = request.send();
      double seconds = (System.nanoTime() - start) / 1e9;
      double server = (cpuNanos() - serverCpu) / 1e9;
      double client = (me.getProcessCpuTime() - clientCpu) / 1e9;
      return new Row(what, rows, arrowBytes, sent, seconds, peakRssMb(), peakHeap() / 1e6, server, client);
    }

    double peakRssMb() throws IOException {
      for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      throw new IOException("no VmHWM in /proc/" + process.pid() + "/status");
    }

    long cpuNanos() throws IOException {
      return ProcessCpu.nanos(process.pid());
    }

    @Override
    public void close() throws Exception {
      in.close(); // a server stops when its stdin closes
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static String write(List<Row> rows, String heap, String engineMemory, Path results) throws IOException {
    Map<String, Object> machine = Report.machine();
    Row base = rows.get(0);
    StringBuilder md = new StringBuilder("### A result larger than the server's memory, streamed vs held whole\n\n");
    md.append("Machine: ").append(machine.get("cores")).append(" cores, ").append(machine.get("memory")).append(", ")
        .append(machine.get("jdk")).append(". ").append(machine.get("date")).append(".\n\n");
    md.append("`").append(SQL).append("`: ").append(String.format(Locale.ROOT, "%,d", base.rows())).append(" rows, ")
        .append(String.format(Locale.ROOT, "%.0f", base.arrowBytes() / 1e6)).append(" MB of Arrow buffers. Each JVM has -Xmx")
        .append(heap).append(" and an engine memory limit of ").append(engineMemory).append("; the server is HTTP only,")
        .append(" in its own JVM; the client (java.net.http; Arrow read with ArrowStreamReader, other formats drained)")
        .append(" in another. Peak RSS is Linux's VmHWM, reset before each request; CPU is user + system time of")
        .append(" the process, all threads.\n\n");
    md.append("| case | bytes sent MB | seconds | peak RSS MB | peak heap MB | server CPU s | client CPU s |"
        + " CPU s per GB of Arrow (server + client) |\n|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      double gb = base.arrowBytes() / 1e9;
      double cpu = r.serverCpuSeconds() + (r.clientCpuSeconds() == null ? 0 : r.clientCpuSeconds());
      md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.0f | %.0f | %.1f | %s | %s |%n", r.what(),
          r.bytesSent() == 0 ? "" : String.format(Locale.ROOT, "%,.0f", r.bytesSent() / 1e6), r.seconds(), r.peakRssMb(),
          r.peakHeapMb(), r.serverCpuSeconds(),
          r.clientCpuSeconds() == null ? "" : String.format(Locale.ROOT, "%.1f", r.clientCpuSeconds()),
          r.rows() == 0 ? "" : String.format(Locale.ROOT, "%.1f + %.1f", r.serverCpuSeconds() / gb,
              (r.clientCpuSeconds() == null ? 0 : r.clientCpuSeconds()) / gb)));
    }
    Files.createDirectories(results);
    String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path mdFile = results.resolve("server-memory-" + stamp + ".md");
    Files.writeString(mdFile, md.toString());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("suite", "server-memory");
    json.put("machine", machine);
    json.put("heap", heap);
    json.put("engineMemory", engineMemory);
    json.put("rows", rows);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(results.resolve(mdFile.getFileName().toString().replace(".md", ".json")).toFile(), json);
    return md + "\n(written to " + mdFile + " and .json)\n";
  }
}
