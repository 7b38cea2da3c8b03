package io.neuralake.server.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/** The PostgreSQL door through the PostgreSQL JDBC driver (pgJDBC), as applications use it. */
class PgJdbcTest {
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

  static Connection connect(String user, String password, String... options) throws SQLException {
    return PgClients.jdbc(server, "test", user, password, options);
  }

  static Connection admin(String... options) throws SQLException {
    return connect("admin", ServerFixture.ADMIN_PASSWORD, options);
  }

  @Test
  void queriesReturnTheLibrarysRows() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) AS n, min(p_partkey) AS lo FROM tpch.part")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getLong("n")).isEqualTo(2000L);
      assertThat(r.getMetaData().getColumnType(1)).isEqualTo(Types.BIGINT);
      assertThat(r.getMetaData().getColumnTypeName(1)).isEqualTo("int8");
    }
  }

  @Test
  void columnsAreNamedAsPostgreSqlNamesThem() throws SQLException {
    String sql = "SELECT count(*), sum(p_size), p_brand, p_size::int, CASE WHEN p_size > 10 THEN 'big' ELSE 'small' END,"
        + " 1, max(p_size) AS Biggest FROM tpch.part WHERE p_size > ? GROUP BY p_brand, p_size ORDER BY 1 DESC LIMIT 1";
    // 0: the simple protocol's names; -1: pgJDBC describes the named statement first (Parse, Describe)
    for (String threshold : new String[] {"0", "-1"}) {
      try (Connection c = admin("prepareThreshold", threshold); PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setInt(1, 0);
        try (ResultSet r = ps.executeQuery()) {
          List<String> labels = new ArrayList<>();
          for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
            labels.add(r.getMetaData().getColumnLabel(i));
          }
          assertThat(labels).containsExactly("count", "sum", "p_brand", "p_size", "case", "?column?", "biggest");
          assertThat(r.next()).isTrue();
          assertThat(r.getLong("count")).isPositive();
        }
      }
    }
  }

  @Test
  void everyTypeComesBackInTextAndBinary() throws SQLException {
    String sql = "SELECT CAST(1 AS SMALLINT) AS s, CAST(2 AS INTEGER) AS i, CAST(3 AS BIGINT) AS b,"
        + " CAST(1.5 AS REAL) AS f4, CAST(2.25 AS DOUBLE) AS f8, CAST(12.345 AS DECIMAL(10,3)) AS d, true AS t,"
        + " 'héllo' AS txt, DATE '2024-02-29' AS dt, TIMESTAMP '2024-02-29 12:34:56.789' AS ts,"
        + " TIMESTAMPTZ '2024-02-29 12:34:56+00' AS tz, '\\x01\\xFF'::BLOB AS by, CAST(NULL AS INTEGER) AS n, [1, 2] AS l";
    // prepareThreshold=-1 makes pgJDBC ask for binary results from the first execution
    for (String threshold : new String[] {"0", "-1"}) {
      try (Connection c = admin("prepareThreshold", threshold); PreparedStatement ps = c.prepareStatement(sql);
          ResultSet r = ps.executeQuery()) {
        assertThat(r.next()).isTrue();
        assertThat(r.getShort("s")).isEqualTo((short) 1);
        assertThat(r.getInt("i")).isEqualTo(2);
        assertThat(r.getLong("b")).isEqualTo(3L);
        assertThat(r.getFloat("f4")).isEqualTo(1.5f);
        assertThat(r.getDouble("f8")).isEqualTo(2.25);
        assertThat(r.getBigDecimal("d")).isEqualByComparingTo(new BigDecimal("12.345"));
        assertThat(r.getBoolean("t")).isTrue();
        assertThat(r.getString("txt")).isEqualTo("héllo");
        assertThat(r.getDate("dt").toLocalDate()).hasToString("2024-02-29");
        assertThat(r.getTimestamp("ts").toLocalDateTime()).hasToString("2024-02-29T12:34:56.789");
        assertThat(r.getObject("tz", java.time.OffsetDateTime.class).toInstant()).hasToString("2024-02-29T12:34:56Z");
        assertThat(r.getBytes("by")).containsExactly(1, 0xFF);
        assertThat(r.getObject("n")).isNull();
        assertThat(r.wasNull()).isTrue();
        assertThat(r.getString("l")).isEqualTo("[1,2]");
        assertThat(r.getMetaData().getColumnTypeName(4)).isEqualTo("float4");
        assertThat(r.getMetaData().getColumnTypeName(6)).isEqualTo("numeric");
        assertThat(r.getMetaData().getColumnTypeName(11)).isEqualTo("timestamptz");
      }
    }
  }

  @Test
  void preparedStatementsTakeParametersOfEveryType() throws SQLException {
    String sql = "SELECT ? + 1 AS i, ? * 2 AS b, ? AS txt, ? AS f, ? AS dec, ? AS bool, ? AS dt, ? AS ts, ? AS nul";
    for (String threshold : new String[] {"0", "-1"}) {
      try (Connection c = admin("prepareThreshold", threshold); PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setInt(1, 41);
        ps.setLong(2, 21L);
        ps.setString(3, "it's; DROP TABLE x --");
        ps.setDouble(4, 0.5);
        ps.setBigDecimal(5, new BigDecimal("-1234.5678"));
        ps.setBoolean(6, true);
        ps.setDate(7, Date.valueOf("2024-01-31"));
        ps.setTimestamp(8, Timestamp.valueOf("2024-01-31 10:11:12.5"));
        ps.setNull(9, Types.INTEGER);
        try (ResultSet r = ps.executeQuery()) {
          assertThat(r.next()).isTrue();
          assertThat(r.getInt("i")).isEqualTo(42);
          assertThat(r.getLong("b")).isEqualTo(42L);
          assertThat(r.getString("txt")).isEqualTo("it's; DROP TABLE x --");
          assertThat(r.getDouble("f")).isEqualTo(0.5);
          assertThat(r.getBigDecimal("dec")).isEqualByComparingTo("-1234.5678");
          assertThat(r.getBoolean("bool")).isTrue();
          assertThat(r.getDate("dt")).hasToString("2024-01-31");
          assertThat(r.getTimestamp("ts").toLocalDateTime()).hasToString("2024-01-31T10:11:12.500");
          assertThat(r.getObject("nul")).isNull();
        }
      }
    }
  }

  @Test
  void parametersFilterATable() throws SQLException {
    try (Connection c = admin(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM tpch.orders WHERE o_orderstatus = ? AND o_orderdate >= ?")) {
      for (int i = 0; i < 6; i++) { // past pgJDBC's prepareThreshold: named statements and binary parameters
        ps.setString(1, "F");
        ps.setDate(2, Date.valueOf("1990-01-01"));
        try (ResultSet r = ps.executeQuery()) {
          assertThat(r.next()).isTrue();
          assertThat(r.getLong(1)).isPositive();
        }
      }
    }
  }

  @Test
  void fetchSizeStreamsInPortions() throws SQLException {
    try (Connection c = admin()) {
      c.setAutoCommit(false); // pgJDBC uses a portal with a row limit only inside a transaction
      try (PreparedStatement ps = c.prepareStatement("SELECT p_partkey FROM tpch.part ORDER BY p_partkey")) {
        ps.setFetchSize(100);
        long n = 0;
        long sum = 0;
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            n++;
            sum += r.getLong(1);
          }
        }
        assertThat(n).isEqualTo(2000);
        assertThat(sum).isEqualTo(2000L * 2001 / 2);
      }
      c.commit();
    }
  }

  @Test
  void sessionStatementsAreAnswered() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("SET application_name = 'report'");
      try (ResultSet r = s.executeQuery("SHOW application_name")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("report");
      }
      try (ResultSet r = s.executeQuery("SELECT version(), current_database(), current_schema()")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).startsWith("PostgreSQL 15");
        assertThat(r.getString(2)).isEqualTo("test");
      }
      assertThatThrownBy(() -> s.execute("SET lock_configuration = false"))
          .isInstanceOf(PSQLException.class)
          .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void errorsCarryTheirSqlState() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM tpch.nope"))
          .isInstanceOf(PSQLException.class)
          .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("42P01"))
          .hasMessageContaining("nope");
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM read_text('/etc/passwd')"))
          .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("42501"));
      try (ResultSet r = s.executeQuery("SELECT 1")) { // the connection goes on
        assertThat(r.next()).isTrue();
      }
    }
  }

  @Test
  void databaseMetaDataListsSchemasTablesAndColumns() throws SQLException {
    try (Connection c = admin()) {
      DatabaseMetaData md = c.getMetaData();
      List<String> schemas = new ArrayList<>();
      try (ResultSet r = md.getSchemas()) {
        while (r.next()) {
          schemas.add(r.getString("TABLE_SCHEM"));
        }
      }
      assertThat(schemas).contains("bci", "tpch");
      List<String> tables = new ArrayList<>();
      try (ResultSet r = md.getTables(null, "tpch", "%", new String[] {"TABLE"})) {
        while (r.next()) {
          tables.add(r.getString("TABLE_SCHEM") + "." + r.getString("TABLE_NAME") + ":" + r.getString("REMARKS"));
        }
      }
      assertThat(tables).containsExactly("tpch.orders:TPC-H orders, a Delta table.", "tpch.part:Parts.");
      List<String> columns = new ArrayList<>();
      try (ResultSet r = md.getColumns(null, "tpch", "orders", "%")) {
        while (r.next()) {
          columns.add(r.getString("COLUMN_NAME") + " " + r.getString("TYPE_NAME") + " " + r.getInt("DATA_TYPE"));
        }
      }
      assertThat(columns).startsWith("o_orderkey int8 " + Types.BIGINT).contains("o_orderdate date " + Types.DATE,
          "o_totalprice float8 " + Types.DOUBLE, "o_orderstatus text " + Types.VARCHAR);
    }
  }

  @Test
  void statementCancelStopsALongQuery() throws Exception {
    try (Connection c = admin(); Statement s = c.createStatement(); Connection watcher = admin()) {
      CompletableFuture<Object> run = PgClients.longQueryRunning(s, watcher);
      s.cancel();
      Object outcome = run.get(60, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(PSQLException.class);
      assertThat(((PSQLException) outcome).getSQLState()).isEqualTo("57014");
      try (ResultSet r = s.executeQuery("SELECT 1")) {
        assertThat(r.next()).isTrue();
      }
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertThatThrownBy(() -> connect("admin", "not-the-password-at-all").close())
        .isInstanceOf(PSQLException.class)
        .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("28P01"));
    assertThatThrownBy(() -> connect("nobody", "not-the-password-at-all").close())
        .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void aTokenServesAsThePassword() throws SQLException {
    // the URL form the README gives, without TLS
    String url = "jdbc:postgresql://127.0.0.1:" + server.pgPort().getAsInt() + "/test?user=admin&password="
        + ServerFixture.ADMIN_TOKEN + "&sslmode=disable&connectTimeout=10&socketTimeout=60";
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1")) {
      assertThat(r.next()).isTrue();
    }
  }

  @Test
  void aReaderOfOneDatabaseSeesOnlyIt() throws SQLException {
    try (Connection c = connect("bci_reader", ServerFixture.BCI_PASSWORD); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM bci.spikes")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isEqualTo(18_000L);
      }
      assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM tpch.part"))
          .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("42P01"));
      List<String> tables = new ArrayList<>();
      try (ResultSet r = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (r.next()) {
          tables.add(r.getString("TABLE_SCHEM") + "." + r.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).containsExactly("bci.spikes");
    }
  }
}
