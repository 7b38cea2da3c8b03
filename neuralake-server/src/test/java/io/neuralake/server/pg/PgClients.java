package io.neuralake.server.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.server.NeuralakeServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real clients the door's tests drive: pgJDBC connections and psql processes, with timeouts. */
final class PgClients {
  /** A query that runs for minutes unless cancelled. */
  static final String LONG_QUERY = "SELECT sum(hash(a.range * b.range)) FROM range(1000000) a, range(1000000) b";

  private PgClients() {}

  /**
   * Runs {@link #LONG_QUERY} on {@code s} in the background and returns once {@code watcher} sees it
   * active in {@code pg_stat_activity} (pgJDBC sends one cancel per execution: a cancel must come
   * after the query started). The future holds what the query ended with: a row, or its exception.
   */
  static CompletableFuture<Object> longQueryRunning(Statement s, Connection watcher) throws SQLException {
    CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
      try (ResultSet r = s.executeQuery(LONG_QUERY)) {
        return r.next();
      } catch (SQLException e) {
        return e;
      }
    });
    boolean active = false;
    for (int i = 0; i < 600 && !active && !run.isDone(); i++) {
      try (PreparedStatement ps = watcher.prepareStatement(
          "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = ?")) {
        ps.setString(1, LONG_QUERY);
        try (ResultSet r = ps.executeQuery()) {
          r.next();
          active = r.getLong(1) == 1;
        }
      }
    }
    assertThat(active).as("the long query shows in pg_stat_activity").isTrue();
    return run;
  }

  /** A pgJDBC connection to {@code database} as {@code user}; {@code options}: more driver properties, name then value. */
  static Connection jdbc(NeuralakeServer server, String database, String user, String password, String... options)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "60");
    for (int i = 0; i + 1 < options.length; i += 2) {
      p.setProperty(options[i], options[i + 1]);
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.pgPort().getAsInt() + "/" + database, p);
  }

  static boolean hasPsql() {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, "psql")));
  }

  /** What a psql process printed (stdout and stderr) and its exit status. */
  record Psql(int exit, String output) {}

  /** Runs psql against the server's door with {@code args} after the host and port; {@code env}: PGPASSWORD and the like. */
  static Psql psql(NeuralakeServer server, Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "psql", ".out");
    List<String> command = new ArrayList<>(List.of("psql", "-h", "127.0.0.1", "-p",
        Integer.toString(server.pgPort().getAsInt()), "-X"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    assertThat(p.isAlive()).as("psql finished within 60 s").isFalse();
    return new Psql(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
