package io.neuralake.server.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/** Transaction blocks as clients expect them: pgJDBC without autocommit (it sends BEGIN), savepoints, psql scripts. */
class PgTransactionsTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).flightPort(0).pgPort(NeuralakeServer.ANY_PORT));
  }

  @AfterAll
  static void stop() {
    server.close();
    lake.close();
  }

  private static Connection admin(String... options) throws SQLException {
    return PgClients.jdbc(server, "test", "admin", ServerFixture.ADMIN_PASSWORD, options);
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      assertThat(r.next()).isTrue();
      return r.getLong(1);
    }
  }

  private static String sqlState(Throwable e) {
    return ((PSQLException) e).getSQLState();
  }

  @Test
  void withoutAutocommitQueriesRunInABlockUntilCommit() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      assertThat(count(s, "SELECT count(*) FROM tpch.part")).isEqualTo(2000);
      assertThat(count(s, "SELECT count(*) FROM tpch.orders")).isEqualTo(15_000);
      try (ResultSet r = s.executeQuery("SELECT state FROM pg_stat_activity WHERE pid <> pg_backend_pid()")) {
        assertThat(r.next()).isFalse(); // only this connection: pg_stat_activity shows no other
      }
      c.commit();
      c.rollback(); // outside a block: nothing to do, still fine
      assertThat(count(s, "SELECT count(*) FROM tpch.part")).isEqualTo(2000);
      c.commit();
    }
  }

  @Test
  void aFailedBlockRefusesStatementsUntilRollback() throws SQLException {
    for (String mode : new String[] {"extended", "simple"}) {
      try (Connection c = admin("preferQueryMode", mode); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        assertThat(count(s, "SELECT count(*) FROM tpch.part")).isEqualTo(2000);
        assertThatThrownBy(() -> s.executeQuery("SELECT * FROM tpch.nope")).satisfies(e ->
            assertThat(sqlState(e)).isEqualTo("42P01"));
        assertThatThrownBy(() -> s.executeQuery("SELECT 1")).satisfies(e -> {
          assertThat(sqlState(e)).as(mode).isEqualTo("25P02");
          assertThat(e).hasMessageContaining("current transaction is aborted");
        });
        assertThatThrownBy(() -> s.execute("SET application_name = 'x'")).satisfies(e ->
            assertThat(sqlState(e)).isEqualTo("25P02"));
        c.rollback();
        assertThat(count(s, "SELECT count(*) FROM tpch.part")).as(mode).isEqualTo(2000);
        c.commit();
      }
    }
  }

  @Test
  void aWriteInsideABlockIsRefusedAndFailsIt() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> s.execute("CREATE TABLE tpch.x AS SELECT 1")).satisfies(e ->
          assertThat(sqlState(e)).isEqualTo("42501"));
      assertThatThrownBy(() -> s.executeQuery("SELECT 1")).satisfies(e -> assertThat(sqlState(e)).isEqualTo("25P02"));
      c.rollback();
      assertThat(count(s, "SELECT 7")).isEqualTo(7);
    }
  }

  @Test
  void settingsFollowTheBlock() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("SET application_name = 'before'");
      c.setAutoCommit(false);
      s.execute("SET application_name = 'inside'");
      s.execute("SET LOCAL statement_timeout = '5s'");
      assertThat(show(s, "application_name")).isEqualTo("inside");
      assertThat(show(s, "statement_timeout")).isEqualTo("5s");
      c.rollback();
      assertThat(show(s, "application_name")).isEqualTo("before");
      s.execute("SET application_name = 'committed'");
      s.execute("SET LOCAL statement_timeout = '5s'");
      c.commit();
      assertThat(show(s, "application_name")).isEqualTo("committed");
      assertThat(show(s, "statement_timeout")).isEqualTo("0");
      c.commit();
    }
  }

  private static String show(Statement s, String name) throws SQLException {
    try (ResultSet r = s.executeQuery("SHOW " + name)) {
      assertThat(r.next()).isTrue();
      return r.getString(1);
    }
  }

  @Test
  void pgJdbcAutosaveRecoversFromAnErrorWithASavepoint() throws SQLException {
    // autosave=always: pgJDBC sets a savepoint before each statement and rolls back to it when one fails
    try (Connection c = admin("autosave", "always"); PreparedStatement bad = c.prepareStatement("SELECT * FROM tpch.nope");
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      assertThat(count(s, "SELECT count(*) FROM tpch.part")).isEqualTo(2000);
      assertThatThrownBy(bad::executeQuery).satisfies(e -> assertThat(sqlState(e)).isEqualTo("42P01"));
      assertThat(count(s, "SELECT count(*) FROM tpch.orders")).isEqualTo(15_000);
      c.commit();
    }
  }

  @Test
  void psqlRunsATransactionScript() throws Exception {
    assumeTrue(PgClients.hasPsql(), "psql is not on PATH (Debian's postgresql-client)");
    // one -c string: one simple query holding four statements; the third fails inside the block
    String text = PgClients.psql(server, dir, Map.of("PGPASSWORD", ServerFixture.ADMIN_PASSWORD), "-U", "admin", "-d",
        "test", "-c", "BEGIN; SELECT count(*) AS parts FROM tpch.part; SELECT * FROM tpch.nope; SELECT 1",
        "-c", "SELECT 2 AS after", "-c", "ROLLBACK", "-c", "SELECT 3 AS fine").output();
    assertThat(text).as(text).contains("2000").contains("tpch.nope is not in the catalog").doesNotContain("?column?")
        .contains("current transaction is aborted").contains("ROLLBACK").containsPattern("fine\\s+-+\\s+3");
  }
}
