package io.neuralake.testing;

import static java.util.Objects.requireNonNull;

import io.neuralake.spi.Settings;
import io.neuralake.storage.S3Options;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local S3 endpoint: S3Proxy with its filesystem backend (each bucket a folder), run as a child
 * process from its self-contained jar. It serves development ({@code neuralake s3 serve}, the
 * replacement of the blueprint's MinIO container) and the tests, on loopback only.
 */
public final class S3ProxyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3ProxyServer.class);

  private final Process process;
  private final int port;
  private final Path dataDir;
  private final String accessKey;
  private final String secretKey;
  private final Path log;

  private S3ProxyServer(Process process, int port, Path dataDir, String accessKey, String secretKey, Path log) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.log = log;
  }

  /**
   * Starts S3Proxy on 127.0.0.1.
   *
   * @param port the port, or 0 for a free one
   * @param accessKey the access key clients must use (from the environment, not code)
   * @param secretKey the secret key clients must use
   */
  public static S3ProxyServer start(Path jar, Path folder, int port, String accessKey, String secretKey)
      throws IOException {
    requireNonNull(accessKey, "accessKey");
    requireNonNull(secretKey, "secretKey");
    if (!Files.isRegularFile(jar)) {
      throw new IOException("S3Proxy is not at " + jar + "; build the project (./mvnw package) or set NEURALAKE_S3PROXY_JAR");
    }
    // S3Proxy answers 400 to every request when its base folder has "." or ".." segments
    Path dataDir = folder.toAbsolutePath().normalize();
    Files.createDirectories(dataDir);
    int chosen = port == 0 ? freePort() : requireFree(port);
    Path conf = Files.createTempFile("s3proxy", ".properties");
    Path log = Files.createTempFile("s3proxy", ".log");
    Properties p = new Properties();
    p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + chosen);
    p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    p.setProperty("s3proxy.identity", accessKey);
    p.setProperty("s3proxy.credential", secretKey);
    p.setProperty("jclouds.provider", "filesystem-nio2");
    p.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
    try (var out = Files.newBufferedWriter(conf)) {
      p.store(out, "written by Neuralake");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--properties");
    command.add(conf.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3ProxyServer server = new S3ProxyServer(process, chosen, dataDir, accessKey, secretKey, log);
    try {
      server.awaitReady(Duration.ofSeconds(60));
    } catch (IOException e) {
      server.close();
      throw e;
    } finally {
      Files.deleteIfExists(conf);
    }
    LOG.info("S3Proxy serving {} at {}", dataDir, server.endpoint());
    return server;
  }

  /**
   * The S3Proxy jar: {@code NEURALAKE_S3PROXY_JAR}, or {@code s3proxy/s3proxy.jar} in the build
   * folder of the running code (beside {@code target/neuralake.jar}, {@code target/classes} or
   * {@code target/lib/}). It stays off every class path: it runs only as its own process.
   */
  public static Path findJar() {
    return Settings.path("NEURALAKE_S3PROXY_JAR").orElseGet(() -> {
      try {
        Path self = Path.of(S3ProxyServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (Path dir = self.getParent(); dir != null; dir = dir.getParent()) {
          Path candidate = dir.resolve("s3proxy/s3proxy.jar");
          if (Files.isRegularFile(candidate)) {
            return candidate;
          }
        }
      } catch (Exception e) {
        // fall through to a relative path, reported as missing if absent
      }
      return Path.of("target/s3proxy/s3proxy.jar");
    });
  }

  private void awaitReady(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("S3Proxy exited with code " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        c.getResponseCode(); // any answer (403 without credentials) means it serves
        c.disconnect();
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while S3Proxy started", e);
        }
      }
    }
    throw new IOException("S3Proxy did not answer on port " + port + " within " + timeout.toSeconds() + "s:\n" + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /**
   * The readiness probe takes any HTTP answer as S3Proxy's, so a port some other server holds would
   * look ready; a port we cannot bind is refused before starting.
   */
  private static int requireFree(int port) throws IOException {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.net.BindException e) {
      throw new PortInUseException(port, e);
    }
  }

  /** The port asked for is taken. */
  public static final class PortInUseException extends IOException {
    public PortInUseException(int port, Throwable cause) {
      super("port " + port + " on 127.0.0.1 is already in use (another S3 server, or another program);"
          + " stop it or choose another port", cause);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Options for clients of this server. */
  public S3Options clientOptions() {
    return S3Options.builder().endpoint(endpoint().toString()).credentials(accessKey, secretKey).allowHttp(true)
        .region("us-east-1").build();
  }

  /** A bucket is a folder of the data directory. */
  public void createBucket(String bucket) throws IOException {
    Files.createDirectories(dataDir.resolve(bucket));
  }

  /** Waits for the server to exit (e.g. until the command is interrupted). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file
    }
  }
}
