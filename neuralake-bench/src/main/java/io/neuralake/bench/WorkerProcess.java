package io.neuralake.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The coordinator's handle on a worker process: one system, warm, in a JVM of its own. */
final class WorkerProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Flags every worker JVM gets: Arrow's and Spark's module openings (Spark's launcher passes the same). */
  static final List<String> JVM_FLAGS = JvmFlags.get("neuralake.jvm.opens", "spark.jvm.opens");

  record Run(long nanos, int rows, List<List<String>> answer) {}

  /** The command starting {@code main} in a JVM like this one (same java, class path, module flags). */
  static List<String> javaCommand(String heap, Class<?> main) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(JVM_FLAGS);
    if (Runtime.version().feature() >= 23) {
      command.addAll(JvmFlags.get("neuralake.jvm.opens.jdk23")); // older JVMs refuse it
    }
    command.addAll(List.of("-Xmx" + heap, "-cp", System.getProperty("java.class.path"), main.getName()));
    return command;
  }

  final String system;
  private final Process process;
  private final PrintStream commands;
  private final BufferedReader replies;

  WorkerProcess(String system, BenchConfig config, Map<String, String> env, String heap, Path log) throws IOException {
    this.system = system;
    List<String> command = javaCommand(heap, Worker.class);
    command.add(system);
    command.add(config.toJson());
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
    pb.environment().putAll(env);
    this.process = pb.start();
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String ready = reply();
    if (!"READY".equals(ready)) {
      throw new IOException("the " + system + " worker did not start: " + ready + " (log: " + log + ")");
    }
  }

  boolean supports(String query) throws IOException {
    commands.println("SUPPORTS " + query);
    return "YES".equals(reply());
  }

  void prepare() throws IOException {
    commands.println("PREPARE");
    String r = reply();
    if (!"OK".equals(r)) {
      throw new IOException(system + " could not prepare: " + r);
    }
  }

  Run run(String query) throws IOException {
    commands.println("RUN " + query);
    String r = reply();
    if (!r.startsWith("OK ")) {
      throw new IOException(system + " failed " + query + ": " + r);
    }
    String[] parts = r.split(" ", 4);
    List<List<String>> answer = JSON.readValue(Base64.getDecoder().decode(parts[3]), new TypeReference<>() {});
    return new Run(Long.parseLong(parts[1]), Integer.parseInt(parts[2]), answer);
  }

  /** The process's peak resident memory (VmHWM), in bytes; -1 where /proc is not available. */
  long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private String reply() throws IOException {
    String line = replies.readLine();
    if (line == null) {
      throw new IOException("the " + system + " worker exited (code " + waitExit() + ")");
    }
    return line;
  }

  private int waitExit() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      commands.println("EXIT");
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
