package io.neuralake.server.flight;

import static io.neuralake.server.ServerFixture.ADMIN_PASSWORD;
import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static io.neuralake.server.ServerFixture.BCI_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.frame.DataFrame;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Flight SQL door through Arrow's Flight SQL JDBC driver, which prepares every query it runs. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FlightJdbcTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static String url;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).pgPort(0));
    url = "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort().orElseThrow() + "?useEncryption=false";
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    lake.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(url + "&user=" + user + "&password=" + password);
  }

  /** Rows as lists of their values (JDBC's objects), in order. */
  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    int columns = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int c = 1; c <= columns; c++) {
        row.add(rs.getObject(c));
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void aQueryReturnsTheLibrarysRows() throws SQLException {
    String sql = "SELECT p_partkey, p_name, p_size FROM tpch.part WHERE p_partkey <= 25 ORDER BY p_partkey";
    try (Connection c = connect("admin", ADMIN_PASSWORD); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql); DataFrame expected = lake.catalog.sql(sql).collect()) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnName(1)).isEqualTo("p_partkey");
      List<List<Object>> got = rows(rs);
      assertThat(got).hasSize(25);
      for (int r = 0; r < got.size(); r++) {
        assertThat(got.get(r).get(0)).isEqualTo(expected.rows().get(r).get("p_partkey"));
        assertThat(got.get(r).get(1)).hasToString(String.valueOf(expected.rows().get(r).get("p_name")));
        assertThat(((Number) got.get(r).get(2)).longValue())
            .isEqualTo(((Number) expected.rows().get(r).get("p_size")).longValue());
      }
    }
  }

  @Test
  void preparedStatementsTakeParametersOfTheirColumnsTypes() throws SQLException {
    try (Connection c = connect("admin", ADMIN_PASSWORD); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) AS n FROM tpch.orders WHERE o_orderstatus = ? AND o_orderdate >= ? AND o_custkey > ?")) {
      ps.setString(1, "F");
      ps.setDate(2, java.sql.Date.valueOf(LocalDate.of(1995, 1, 1)));
      ps.setLong(3, 10);
      long expected;
      try (DataFrame df = lake.catalog.sql("SELECT count(*) AS n FROM tpch.orders WHERE o_orderstatus = 'F'"
          + " AND o_orderdate >= DATE '1995-01-01' AND o_custkey > 10").collect()) {
        expected = (Long) df.rows().get(0).get("n");
      }
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("n")).isEqualTo(expected);
      }
      // the same statement again with other values: nothing of the first binding remains
      ps.setString(1, "O' OR 1=1 --");
      ps.setDate(2, java.sql.Date.valueOf(LocalDate.of(1990, 1, 1)));
      ps.setLong(3, 0);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("n")).isZero();
      }
    }
  }

  @Test
  void aParameterOutsideAComparisonIsText() throws SQLException {
    try (Connection c = connect("admin", ADMIN_PASSWORD);
        PreparedStatement ps = c.prepareStatement("SELECT ? AS greeting, length(?) AS n")) {
      ps.setString(1, "hello");
      ps.setString(2, "four");
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("greeting")).isEqualTo("hello");
        assertThat(rs.getLong("n")).isEqualTo(4L);
      }
    }
  }

  @Test
  void metadataListsDatabasesTablesAndColumns() throws SQLException {
    try (Connection c = connect("admin", ADMIN_PASSWORD)) {
      DatabaseMetaData md = c.getMetaData();
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertThat(schemas).containsExactly("bci", "tpch");
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, "tpch", "%", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
        }
      }
      assertThat(tables).containsExactly("orders:TABLE", "part:TABLE");
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "tpch", "orders", "%")) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME"));
        }
      }
      assertThat(columns).containsExactly("o_orderkey", "o_custkey", "o_orderstatus", "o_totalprice", "o_orderdate",
          "o_orderpriority");
      assertThat(md.getDatabaseProductName()).isEqualTo("Neuralake");
      assertThat(md.isReadOnly()).isTrue();
    }
  }

  @Test
  void aUserLimitedToOneDatabaseSeesOnlyIt() throws SQLException {
    try (Connection c = connect("bci_reader", BCI_PASSWORD); Statement s = c.createStatement()) {
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
        List<String> tables = new ArrayList<>();
        while (rs.next()) {
          tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
        }
        assertThat(tables).containsExactly("bci.spikes");
      }
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM tpch.part")).isInstanceOf(SQLException.class)
          .hasMessageContaining("TABLE_NOT_FOUND");
    }
  }

  @Test
  void theConfiguredTokenConnectsToo() throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "&token=" + ADMIN_TOKEN); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) AS n FROM tpch.part")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(2_000L);
    }
  }

  @Test
  void wrongCredentialsAreRefused() {
    assertThatThrownBy(() -> connect("admin", "wrong-password-for-tests").close()).isInstanceOf(SQLException.class)
        .hasStackTraceContaining("wrong user name or password");
  }
}
