package io.neuralake.bench;

import io.neuralake.engine.Engine;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3Options;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One streaming writer in a JVM of its own, for commit latency across processes (where writers
 * race through put-if-absent, as separate ingest services do). It says {@code READY}, runs the
 * warm-up rounds the bench asks for ({@code WARM table}, all writers on the same table, each
 * answering with the share of the round its JIT spent compiling), waits for {@code GO} so that all
 * writers start together, appends, and prints its appends' latencies.
 */
final class IngestWriterProcess implements AutoCloseable {
  private final Process process;
  private final PrintStream commands;
  private final BufferedReader replies;

  private IngestWriterProcess(Process process) {
    this.process = process;
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts a writer process; {@code root} is a folder or {@code s3://bucket/}, S3 settings in {@code env},
   * {@code jvmOptions} given to its JVM.
   */
  static IngestWriterProcess start(String root, String table, int writer, int appends, int rowsPerAppend, long intervalMs,
      Duration maxLatency, boolean hostLock, Path cacheDir, Map<String, String> env, List<String> jvmOptions, Path log)
      throws IOException {
    List<String> command = WorkerProcess.javaCommand("1g", IngestWriterProcess.class);
    command.addAll(1, jvmOptions); // right after the java command, before the class path and main class
    command.addAll(List.of(root, table, Integer.toString(writer), Integer.toString(appends), Integer.toString(rowsPerAppend),
        Long.toString(intervalMs), Long.toString(maxLatency.toMillis()), cacheDir.toString(), Boolean.toString(hostLock)));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
    pb.environment().putAll(env);
    return new IngestWriterProcess(pb.start());
  }

  void awaitReady() throws IOException {
    String line = replies.readLine();
    if (!"READY".equals(line)) {
      throw new IOException("a writer process did not start: " + line);
    }
  }

  /** Starts a warm-up round on {@code table}, with the other writer processes. */
  void warmUp(String table) {
    commands.println("WARM " + table);
  }

  /** Waits for the warm-up round's end: the share of its time this writer's compiler spent compiling. */
  double awaitWarmedUp() throws IOException {
    String line = replies.readLine();
    if (line == null || !line.startsWith("WARMED ")) {
      throw new IOException("a writer process failed its warm-up: " + line);
    }
    return Double.parseDouble(line.substring("WARMED ".length()));
  }

  void go() {
    commands.println("GO");
  }

  /** The writer's measured run: its latencies, the versions it committed, its CPU time. */
  IngestBench.Run run() throws IOException {
    String line = replies.readLine();
    if (line == null || !line.startsWith("LATENCIES ")) {
      throw new IOException("a writer process failed: " + line);
    }
    List<Double> out = new ArrayList<>();
    for (String ms : line.substring("LATENCIES ".length()).split(",")) {
      out.add(Double.parseDouble(ms));
    }
    String versions = replies.readLine();
    String cpu = replies.readLine();
    if (versions == null || !versions.startsWith("VERSIONS ") || cpu == null || !cpu.startsWith("CPU ")) {
      throw new IOException("a writer process failed: " + versions + " / " + cpu);
    }
    java.util.Set<Long> committed = new java.util.HashSet<>();
    for (String v : versions.substring("VERSIONS ".length()).split(",")) {
      if (!v.isBlank()) {
        committed.add(Long.parseLong(v));
      }
    }
    return new IngestBench.Run(out, committed, Long.parseLong(cpu.substring("CPU ".length())));
  }

  @Override
  public void close() throws IOException {
    commands.close();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  public static void main(String[] args) throws Exception {
    String root = args[0];
    String table = args[1];
    int writer = Integer.parseInt(args[2]);
    int appends = Integer.parseInt(args[3]);
    int rowsPerAppend = Integer.parseInt(args[4]);
    long intervalMs = Long.parseLong(args[5]);
    Duration maxLatency = Duration.ofMillis(Long.parseLong(args[6]));
    boolean hostLock = Boolean.parseBoolean(args[8]);
    Storage storage = root.startsWith("s3://")
        ? Storage.builder().s3(S3Options.fromEnvironment())
            .cache(new FileCache(Path.of(args[7]).resolve("writer-" + writer), 1L << 30, Duration.ofMinutes(1))).build()
        : Storage.defaults();
    LakeContext context = new LakeContext(Location.parse(root), storage, Engine.shared());
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // warm-up rounds with the other writers, on tables of the round, until the bench says GO
    String command;
    while ((command = in.readLine()) != null && command.startsWith("WARM ")) {
      String warmTable = command.substring("WARM ".length());
      double share = IngestBench.compileShare(() -> IngestBench.streamingLatencies(context, warmTable, writer, 1, appends,
          rowsPerAppend, intervalMs, maxLatency, hostLock));
      out.println("WARMED " + String.format(java.util.Locale.ROOT, "%.4f", share));
    }
    if (!"GO".equals(command)) {
      return;
    }
    IngestBench.Run run = IngestBench.streamingLatencies(context, table, writer, 1, appends, rowsPerAppend, intervalMs, maxLatency,
        hostLock);
    out.println("LATENCIES " + run.latencies().stream().map(d -> String.format(java.util.Locale.ROOT, "%.3f", d))
        .collect(Collectors.joining(",")));
    out.println("VERSIONS " + run.versions().stream().map(String::valueOf).collect(Collectors.joining(",")));
    out.println("CPU " + run.cpuNanos());
    System.exit(0);
  }
}
