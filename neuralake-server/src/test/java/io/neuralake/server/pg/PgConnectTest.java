package io.neuralake.server.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.server.ServerLimits;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/** Connecting: which database names the door takes, and how many connections it keeps open at once. */
class PgConnectTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  /** A server that takes two PostgreSQL connections at once. */
  static NeuralakeServer small;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).flightPort(0).pgPort(NeuralakeServer.ANY_PORT));
    small = lake.start(b -> b.httpPort(0).flightPort(0).pgPort(NeuralakeServer.ANY_PORT)
        .limits(ServerLimits.defaults().withMaxConnections(2)));
  }

  @AfterAll
  static void stop() {
    small.close();
    server.close();
    lake.close();
  }

  private static String currentDatabase(NeuralakeServer s, String database, String user, String password)
      throws SQLException {
    try (Connection c = PgClients.jdbc(s, database, user, password); Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT current_database()")) {
      assertThat(r.next()).isTrue();
      return r.getString(1);
    }
  }

  @Test
  void theCatalogPostgresAndTheDatabasesAreConnectable() throws SQLException {
    for (String database : List.of("test", "postgres", "tpch", "bci")) {
      assertThat(currentDatabase(server, database, "admin", ServerFixture.ADMIN_PASSWORD)).isEqualTo(database);
    }
    // no database in the URL: pgJDBC sends the user's name, as psql does without -d
    assertThat(currentDatabase(server, "", "admin", ServerFixture.ADMIN_PASSWORD)).isEqualTo("admin");
  }

  @Test
  void anUnknownDatabaseIsRefusedWithWhatExists() {
    assertThatThrownBy(() -> currentDatabase(server, "nope", "admin", ServerFixture.ADMIN_PASSWORD))
        .isInstanceOf(PSQLException.class)
        .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("3D000"))
        .hasMessageContaining("database \"nope\" does not exist: connect to test (the catalog), postgres")
        .hasMessageContaining("admin (your user name").hasMessageContaining("databases bci, tpch;");
    // a reader of bci is told only of what they may read, and may not connect to another database
    assertThatThrownBy(() -> currentDatabase(server, "tpch", "bci_reader", ServerFixture.BCI_PASSWORD))
        .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("3D000"))
        .hasMessageContaining("databases bci;").hasMessageNotContaining("tpch,");
    // the check comes after authentication: a wrong password learns nothing about the databases
    assertThatThrownBy(() -> currentDatabase(server, "nope", "admin", "not-the-password-at-all"))
        .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void psqlIsToldTheDatabaseDoesNotExist() throws Exception {
    assumeTrue(PgClients.hasPsql(), "psql is not on PATH (Debian's postgresql-client)");
    PgClients.Psql p = PgClients.psql(server, dir, Map.of("PGPASSWORD", ServerFixture.ADMIN_PASSWORD), "-U", "admin",
        "-d", "nope", "-c", "SELECT 1");
    assertThat(p.exit()).isNotZero();
    assertThat(p.output()).contains("FATAL:  database \"nope\" does not exist: connect to test (the catalog)");
    // without -d psql connects to the user's name
    PgClients.Psql fine = PgClients.psql(server, dir, Map.of("PGPASSWORD", ServerFixture.ADMIN_PASSWORD), "-U",
        "admin", "-c", "SELECT current_database() AS db");
    assertThat(fine.output()).as(fine.output()).containsPattern("db\\s+-+\\s+admin");
  }

  @Test
  void connectionsBeyondTheLimitAreRefusedAndIdleOnesCount() throws Exception {
    List<Connection> open = new ArrayList<>();
    try {
      open.add(PgClients.jdbc(small, "test", "admin", ServerFixture.ADMIN_PASSWORD));
      open.add(PgClients.jdbc(small, "test", "admin", ServerFixture.ADMIN_PASSWORD)); // both idle
      assertThatThrownBy(() -> PgClients.jdbc(small, "test", "admin", ServerFixture.ADMIN_PASSWORD).close())
          .isInstanceOf(PSQLException.class)
          .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("53300"))
          .hasMessageContaining("too many clients").hasMessageContaining("NEURALAKE_SERVER_MAX_CONNECTIONS");
      try (Statement s = open.get(0).createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
        assertThat(r.next()).isTrue(); // those inside go on
      }
      open.remove(1).close();
      // the door counts a connection out once its thread is done with it: retry a bounded number of times
      Connection again = null;
      for (int i = 0; i < 100 && again == null; i++) {
        try {
          again = PgClients.jdbc(small, "test", "admin", ServerFixture.ADMIN_PASSWORD);
        } catch (PSQLException e) {
          assertThat(e.getSQLState()).isEqualTo("53300");
          Thread.sleep(50);
        }
      }
      assertThat(again).as("a connection once one closed").isNotNull();
      open.add(again);
    } finally {
      for (Connection c : open) {
        c.close();
      }
    }
  }

  @Test
  void aCancelGetsThroughAtTheLimit() throws Exception {
    try (Connection c = PgClients.jdbc(small, "test", "admin", ServerFixture.ADMIN_PASSWORD);
        Statement s = c.createStatement();
        Connection watcher = PgClients.jdbc(small, "test", "admin", ServerFixture.ADMIN_PASSWORD)) {
      CompletableFuture<Object> run = PgClients.longQueryRunning(s, watcher);
      s.cancel(); // a third socket, over the limit of two: a cancel request is still carried out
      Object outcome = run.get(60, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(PSQLException.class);
      assertThat(((PSQLException) outcome).getSQLState()).isEqualTo("57014");
    }
  }
}
