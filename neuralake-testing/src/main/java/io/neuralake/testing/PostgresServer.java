package io.neuralake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server for tests: {@code initdb} into a temporary folder, then
 * {@code postgres} on a free loopback port (its Unix socket in that folder too), with a superuser
 * that logs in with a random password over TCP. Debian's {@code postgresql} package provides the
 * binaries ({@code /usr/lib/postgresql/<version>/bin}). PostgreSQL refuses to run as root, so
 * under root (CI, containers) it runs as the {@code postgres} user the package creates.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  private static final Path INSTALL = Path.of("/usr/lib/postgresql");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final String SYSTEM_USER = "postgres";

  private final Process process;
  private final Path folder;
  private final Path log;
  private final int port;
  private final String user;
  private final String password;
  /** The system properties {@link #exposeCredentials} set, cleared on close. */
  private final java.util.List<String> exposed = new java.util.concurrent.CopyOnWriteArrayList<>();

  private PostgresServer(Process process, Path folder, Path log, int port, String user, String password) {
    this.process = process;
    this.folder = folder;
    this.log = log;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** Starts a fresh server (a new data folder, user {@code neuralake}, a random password); close it to stop. */
  public static PostgresServer start() throws IOException {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path folder = Files.createTempDirectory("neuralake-postgres");
    String user = "neuralake";
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    Path pwfile = folder.resolve("pw");
    Files.writeString(pwfile, password + "\n");
    Files.createDirectories(folder.resolve("sock"));
    Path log = folder.resolve("postgres.log");
    if (root) {
      giveTo(folder, SYSTEM_USER);
    }
    run(root, folder, List.of(bin.resolve("initdb").toString(), "-D", folder.resolve("data").toString(), "-U", user,
        "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale",
        "--no-sync"));
    Files.delete(pwfile);
    int port = freePort();
    List<String> command = new ArrayList<>(asUser(root));
    command.addAll(List.of(bin.resolve("postgres").toString(), "-D", folder.resolve("data").toString(),
        "-p", Integer.toString(port), "-k", folder.resolve("sock").toString(), "-c", "listen_addresses=127.0.0.1",
        "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off", "-c", "shared_buffers=32MB"));
    Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    PostgresServer server = new PostgresServer(process, folder, log, port, user, password);
    try {
      server.awaitReady();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info("PostgreSQL {} started on 127.0.0.1:{} in {}", bin.getParent().getFileName(), port, folder);
    return server;
  }

  /** The newest installed version's {@code bin} folder. */
  private static Path binaries() {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(INSTALL)) {
      try (Stream<Path> versions = Files.list(INSTALL)) {
        versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres"))
            && Files.isExecutable(b.resolve("initdb"))).forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found.stream().max(Comparator.comparingInt(b -> versionOf(b.getParent()))).orElseThrow(
        () -> new IllegalStateException("the PostgreSQL server (initdb, postgres) is not installed under " + INSTALL
            + "/<version>/bin; install Debian's package 'postgresql' (apt-get install -y postgresql)"));
  }

  private static int versionOf(Path folder) {
    try {
      return Integer.parseInt(folder.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Under root the folder and what it holds belong to the system user PostgreSQL runs as. */
  private static void giveTo(Path folder, String systemUser) throws IOException {
    UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
    GroupPrincipal group = users.lookupPrincipalByGroupName(systemUser);
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.toList()) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(systemUser));
        view.setGroup(group);
      }
    }
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
  }

  private static List<String> asUser(boolean root) {
    return root ? List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--init-groups", "--")
        : List.of();
  }

  private static void run(boolean root, Path folder, List<String> tool) throws IOException {
    List<String> command = new ArrayList<>(asUser(root));
    command.addAll(tool);
    Path out = folder.resolve("initdb.log");
    Process p = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    try {
      if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(tool.get(0) + " did not finish within " + START_TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + tool.get(0), e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(tool.get(0) + " failed (exit " + p.exitValue() + "): " + Files.readString(out));
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (text.contains("ready to accept connections")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException("postgres exited (" + process.exitValue() + ") before it was ready: " + text);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for postgres", e);
      }
    }
    throw new IOException("postgres was not ready within " + START_TIMEOUT.toSeconds() + " s; its log: "
        + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** The server's process id (the postmaster's: each connection is a backend process it starts). */
  public long pid() {
    return process.pid();
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The superuser's name. */
  public String user() {
    return user;
  }

  /** The superuser's password (random per server). */
  public String password() {
    return password;
  }

  /** A connection as the superuser, outside any pool, to set up or check what a test reads. */
  public java.sql.Connection connect(String database) throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(jdbcUrl(database), user, password);
  }

  /**
   * Sets the system properties that {@code JdbcCredentials.fromEnvironment(prefix)} reads ({@code CLINIC_}:
   * {@code clinic.user}, {@code clinic.password}) to the superuser's, until {@link #close()} clears them.
   */
  public PostgresServer exposeCredentials(String prefix) {
    String key = prefix.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    System.setProperty(key + "user", user);
    System.setProperty(key + "password", password);
    exposed.add(key + "user");
    exposed.add(key + "password");
    return this;
  }

  /** Stops the server (a fast shutdown, then a kill if it does not stop in time) and deletes its folder. */
  @Override
  public void close() {
    exposed.forEach(System::clearProperty);
    if (process.isAlive()) {
      try {
        // SIGINT: PostgreSQL's fast shutdown, which does not wait for clients (SIGTERM would); setpriv exec'd it, so
        // this is postgres's own id
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          LOG.warn("postgres did not stop within {} s; killing it", STOP_TIMEOUT.toSeconds());
          process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    try (Stream<Path> all = Files.walk(folder)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", folder, e.toString());
    }
  }

  @Override
  public String toString() {
    return "PostgresServer[127.0.0.1:" + port + "]";
  }
}
