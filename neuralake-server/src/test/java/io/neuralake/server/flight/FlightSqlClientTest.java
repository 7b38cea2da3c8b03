package io.neuralake.server.flight;

import static io.neuralake.server.ServerFixture.ADMIN_PASSWORD;
import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static io.neuralake.server.ServerFixture.BCI_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.frame.DataFrame;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.server.ServerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flight SQL door through Arrow's own FlightSqlClient: what it returns equals what the library returns. */
class FlightSqlClientTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static int port;
  static FlightTestClient admin;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).pgPort(0));
    port = server.flightPort().orElseThrow();
    admin = FlightTestClient.login(port, "admin", ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
    lake.close();
  }

  private static List<Map<String, Object>> library(String sql) {
    try (DataFrame df = lake.catalog.sql(sql).collect()) {
      return df.rows();
    }
  }

  @Test
  void aStatementReturnsWhatTheLibraryReturns() {
    String sql = "SELECT p_partkey, p_name, p_retailprice FROM tpch.part WHERE p_partkey <= 50 ORDER BY p_partkey";
    FlightTestClient.Rows got = admin.query(sql);
    assertThat(got.rows()).hasSize(50).isEqualTo(library(sql));
  }

  @Test
  void theFlightInfoCarriesTheSchemaWithoutRunningTheQuery() {
    FlightInfo info = admin.sql.execute("SELECT o_orderkey, o_orderdate, o_orderstatus FROM tpch.orders", admin.options);
    assertThat(info.getSchema().getFields()).extracting(f -> f.getName())
        .containsExactly("o_orderkey", "o_orderdate", "o_orderstatus");
    assertThat(admin.read(info).rows()).hasSize(15_000);
  }

  @Test
  void deltaAndPartitionedTablesAggregate() {
    String sql = "SELECT o_orderstatus, count(*) AS n, sum(o_totalprice) AS total FROM tpch.orders GROUP BY 1 ORDER BY 1";
    assertThat(admin.query(sql).rows()).isEqualTo(library(sql));
    String spikes = "SELECT implant_id, date, count(*) AS n FROM bci.spikes WHERE implant_id = (SELECT min(implant_id) FROM bci.spikes) GROUP BY ALL ORDER BY ALL";
    assertThat(admin.query(spikes).rows()).isNotEmpty().isEqualTo(library(spikes));
  }

  @Test
  void aLargeResultStreamsInManyBatches() {
    String sql = "SELECT s.*, r.range AS copy FROM bci.spikes s, range(60) r";
    FlightTestClient.Count got = admin.count(admin.sql.execute(sql, admin.options));
    assertThat(got.rows()).isEqualTo(18_000L * 60);
    assertThat(got.batches()).isGreaterThan(10);
  }

  @Test
  void aPreparedStatementBindsParametersAsValues() throws Exception {
    FlightSqlClient.PreparedStatement ps = admin.sql.prepare(
        "SELECT p_partkey, p_name FROM tpch.part WHERE p_partkey BETWEEN ? AND ? AND p_name <> ? ORDER BY 1",
        admin.options);
    try {
      Schema parameters = ps.getParameterSchema();
      assertThat(parameters.getFields()).hasSize(3);
      assertThat(ps.getResultSetSchema().getFields()).extracting(f -> f.getName()).containsExactly("p_partkey", "p_name");
      try (VectorSchemaRoot values = VectorSchemaRoot.create(parameters, admin.allocator)) {
        values.allocateNew();
        setInt(values, 0, 10);
        setInt(values, 1, 19);
        ((VarCharVector) values.getVector(2)).setSafe(0, new Text("x' OR '1'='1"));
        values.setRowCount(1);
        ps.setParameters(values);
        List<Map<String, Object>> rows = admin.read(ps.execute(admin.options)).rows();
        assertThat(rows).isEqualTo(library("SELECT p_partkey, p_name FROM tpch.part WHERE p_partkey BETWEEN 10 AND 19"
            + " ORDER BY 1"));
        ps.clearParameters();
      }
    } finally {
      ps.close(admin.options); // the client's close() would call without the bearer
    }
  }

  /** The parameter's type is the column's (p_partkey: a 64-bit integer), but any integer vector binds. */
  private static void setInt(VectorSchemaRoot values, int index, int value) {
    var v = values.getVector(index);
    if (v instanceof IntVector i) {
      i.setSafe(0, value);
    } else {
      ((org.apache.arrow.vector.BigIntVector) v).setSafe(0, value);
    }
  }

  @Test
  void aPreparedStatementWithoutValuesIsRefusedNamingTheParameters() throws Exception {
    FlightSqlClient.PreparedStatement ps = admin.sql.prepare("SELECT * FROM tpch.part WHERE p_partkey = ?",
        admin.options);
    try {
      assertThatThrownBy(() -> admin.read(ps.execute(admin.options)))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("1 parameters").contains("bind");
          });
    } finally {
      ps.close(admin.options);
    }
  }

  @Test
  void catalogsSchemasAndTablesDescribeTheCatalog() throws Exception {
    assertThat(admin.read(admin.sql.getCatalogs(admin.options)).rows()).extracting(r -> r.get("catalog_name"))
        .containsExactly("test");
    assertThat(admin.read(admin.sql.getSchemas(null, null, admin.options)).rows()).extracting(r -> r.get("db_schema_name"))
        .containsExactly("bci", "tpch");
    FlightInfo tables = admin.sql.getTables(null, "tp%", null, null, true, admin.options);
    assertThat(tables.getSchema()).isEqualTo(Schemas.GET_TABLES_SCHEMA);
    List<Map<String, Object>> rows = admin.read(tables).rows();
    assertThat(rows).extracting(r -> r.get("table_name")).containsExactly("orders", "part");
    Schema orders = MessageSerializer.deserializeSchema(new ReadChannel(java.nio.channels.Channels.newChannel(
        new java.io.ByteArrayInputStream((byte[]) rows.get(0).get("table_schema")))));
    assertThat(orders.getFields()).extracting(f -> f.getName()).containsExactly("o_orderkey", "o_custkey",
        "o_orderstatus", "o_totalprice", "o_orderdate", "o_orderpriority");
    assertThat(admin.read(admin.sql.getTableTypes(admin.options)).rows()).extracting(r -> r.get("table_type"))
        .containsExactly("TABLE");
    assertThat(admin.read(admin.sql.getPrimaryKeys(
        org.apache.arrow.flight.sql.util.TableRef.of("test", "tpch", "part"), admin.options)).rows()).isEmpty();
  }

  @Test
  void sqlInfoNamesTheServerAndSaysItIsReadOnly() {
    try (FlightStream s = admin.sql.getStream(admin.sql.getSqlInfo(new SqlInfo[] {SqlInfo.FLIGHT_SQL_SERVER_NAME,
        SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY}, admin.options).getEndpoints().get(0).getTicket(), admin.options)) {
      assertThat(s.next()).isTrue();
      String text = s.getRoot().contentToTSVString();
      assertThat(text).contains("Neuralake").contains("true");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aUserSeesAndReadsOnlyTheirDatabases() {
    try (FlightTestClient bci = FlightTestClient.login(port, "bci_reader", BCI_PASSWORD)) {
      assertThat(bci.read(bci.sql.getSchemas(null, null, bci.options)).rows()).extracting(r -> r.get("db_schema_name"))
          .containsExactly("bci");
      assertThat(bci.query("SELECT count(*) AS n FROM bci.spikes").rows()).containsExactly(Map.of("n", 18_000L));
      assertThatThrownBy(() -> bci.query("SELECT * FROM tpch.part"))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
            assertThat(e.getMessage()).contains("TABLE_NOT_FOUND").contains("tpch");
          });
    }
  }

  @Test
  void theConfiguredTokenWorksAsABearerWithoutAHandshake() {
    try (FlightTestClient byToken = FlightTestClient.with(port,
        new CredentialCallOption(new BearerCredentialWriter(ADMIN_TOKEN)))) {
      assertThat(byToken.query("SELECT count(*) AS n FROM tpch.part").rows()).containsExactly(Map.of("n", 2_000L));
    }
  }

  @Test
  void anOpenServerNeedsNoCredentials() {
    try (NeuralakeServer open = NeuralakeServer.builder(lake.catalog).httpPort(0).pgPort(0)
        .flightPort(NeuralakeServer.ANY_PORT).start();
        FlightTestClient anyone = FlightTestClient.with(open.flightPort().orElseThrow(), null)) {
      assertThat(anyone.query("SELECT count(*) AS n FROM tpch.orders").rows()).containsExactly(Map.of("n", 15_000L));
      assertThat(anyone.read(anyone.sql.getSchemas(null, null, anyone.options)).rows()).hasSize(2);
    }
  }

  @Test
  void closingTheServerEndsAStreamItsClientStoppedReadingAfterTheGrace() throws Exception {
    ServerLimits d = ServerLimits.defaults();
    ServerLimits shortGrace = new ServerLimits(d.query(), d.maxConcurrentQueries(), d.maxQueuedQueries(),
        d.queueTimeout(), d.maxRequestBytes(), d.maxHeaderBytes(), d.idleTimeout(), Duration.ofMillis(200));
    NeuralakeServer closing = lake.start(b -> b.httpPort(0).pgPort(0).limits(shortGrace));
    try (FlightTestClient reader = FlightTestClient.login(closing.flightPort().orElseThrow(), "admin",
        ADMIN_PASSWORD)) {
      // The client stops reading only if the result outgrows all the buffering between the two: Arrow's
      // FlightStream asks gRPC for 5 messages ahead of what it was given, and then the transport holds
      // up to the server's 10 MB backpressure threshold, the HTTP/2 window and the sockets' buffers.
      // So the result is many small batches (8 M rows of 16 bytes: about 120 batches of 1 MB, 128 MB),
      // not a few big ones: 5 batches of 17 MB would all be taken ahead, and a result that reaches the
      // client whole within the grace rightly ends complete.
      FlightInfo info = reader.sql.execute("SELECT range AS n, range * 3 AS m FROM range(8000000)", reader.options);
      try (FlightStream stream = reader.sql.getStream(info.getEndpoints().get(0).getTicket(), reader.options)) {
        assertThat(stream.next()).isTrue();
        closing.close();
        assertThatThrownBy(() -> {
          while (stream.next()) {
            // drain what was already sent; the end must be an error, not a complete result
          }
        }).isInstanceOf(FlightRuntimeException.class);
      }
    } finally {
      closing.close();
    }
  }

  @Test
  void wrongOrMissingCredentialsAreUnauthenticated() {
    assertThatThrownBy(() -> FlightTestClient.login(port, "admin", "not-the-password-at-all"))
        .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
          assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED);
          assertThat(e.getMessage()).contains("wrong user name or password");
        });
    try (FlightTestClient anonymous = FlightTestClient.with(port, null)) {
      assertThatThrownBy(() -> anonymous.query("SELECT 1"))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e ->
              assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
    }
    try (FlightTestClient forged = FlightTestClient.with(port,
        new CredentialCallOption(new BearerCredentialWriter("nls_forged-session-token")))) {
      assertThatThrownBy(() -> forged.query("SELECT 1"))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e ->
              assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
    }
  }

  @Test
  void aClientThatCancelsItsStreamCancelsTheQueryAndTheServerGoesOn() throws Exception {
    FlightInfo info = admin.sql.execute("SELECT s.*, r.range FROM bci.spikes s, range(50) r", admin.options);
    try (FlightStream stream = admin.sql.getStream(info.getEndpoints().get(0).getTicket(), admin.options)) {
      assertThat(stream.next()).isTrue();
      stream.cancel("the test has seen enough", null);
    }
    assertThat(admin.query("SELECT count(*) AS n FROM tpch.part").rows()).containsExactly(Map.of("n", 2_000L));
    assertThat(CallStatus.CANCELLED.code()).isEqualTo(FlightStatusCode.CANCELLED);
  }
}
