package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code neuralake} jar (or the launcher script) in a child process. */
final class Cli {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path JAR = REPO.resolve("neuralake-cli/target/neuralake.jar");

  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private Cli() {}

  /** Waits (bounded) until a server's log has the line, failing early if it exits. */
  static void awaitLine(Process server, Path log, String line) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (!Files.readString(log).contains(line)) {
      assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
      assertThat(Instant.now()).as(Files.readString(log)).isBefore(deadline);
      Thread.sleep(200);
    }
  }

  /**
   * {@code neuralake serve} with {@code args}, output to {@code log}, once it says it is ready; the
   * caller stops it (in a finally, with destroyForcibly).
   */
  static Process serveReady(Path workDir, Map<String, String> env, Path log, List<String> args) throws Exception {
    Process server = startJar(workDir, env, log, args.toArray(String[]::new));
    try {
      awaitLine(server, log, "ready (SIGTERM or Ctrl-C stops it)");
      return server;
    } catch (Exception | AssertionError e) {
      server.destroyForcibly();
      throw e;
    }
  }

  /** {@code neuralake serve}'s three port options, each a port free now. */
  static List<String> freeDoorPorts() throws IOException {
    List<String> args = new ArrayList<>();
    for (String door : List.of("--http-port", "--flight-port", "--pg-port")) {
      try (ServerSocket s = new ServerSocket(0)) {
        args.add(door);
        args.add(Integer.toString(s.getLocalPort()));
      }
    }
    return args;
  }

  /** {@code java -jar neuralake.jar args...} with the JVM running the tests. */
  static Result jar(Path workDir, Map<String, String> env, String... args) {
    return run(workDir, env, jarCommand(args));
  }

  /** Starts the jar without waiting, output to {@code log} (for servers). */
  static Process startJar(Path workDir, Map<String, String> env, Path log, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(jarCommand(args)).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static List<String> jarCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmFlags("neuralake.jvm.opens"));
    command.add("-Xmx1g");
    if (Runtime.version().feature() >= 23) {
      command.addAll(jvmFlags("neuralake.jvm.opens.jdk23")); // as the launcher does: Arrow uses Unsafe
    }
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** The flags of one entry of bin/jvm.properties, the JVM flags' one source. */
  static List<String> jvmFlags(String name) {
    java.util.Properties p = new java.util.Properties();
    try (java.io.Reader in = Files.newBufferedReader(REPO.resolve("bin/jvm.properties"))) {
      p.load(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return List.of(p.getProperty(name).trim().split("\\s+"));
  }

    /** The launcher at the repository root, exactly as the README says to run it. */
  static Result launcher(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(REPO.resolve("neuralake").toString());
    command.addAll(List.of(args));
    return run(workDir, Map.of(), command);
  }

  private static Result run(Path workDir, Map<String, String> env, List<String> command) {
    try {
      Path out = Files.createTempFile("cli-out", ".txt");
      Path err = Files.createTempFile("cli-err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      // decoded leniently: --out - may write binary (Parquet) to standard output
      Result r = new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
