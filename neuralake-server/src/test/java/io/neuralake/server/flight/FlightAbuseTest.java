package io.neuralake.server.flight;

import static io.neuralake.server.ServerFixture.ADMIN_PASSWORD;
import static io.neuralake.server.ServerFixture.BCI_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.SandboxEscapes;
import io.neuralake.server.ServerFixture;
import io.neuralake.server.ServerLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and abuse against a live Flight SQL door: every sandbox escape (as a statement, a
 * forged ticket and a forged prepared handle), malformed SQL, injection through parameters,
 * oversized messages, forged tickets, missing and wrong credentials, another user's database,
 * writes, limits and a client that vanishes. Each case must get its status and a clear message,
 * and the server must go on serving. The cases are printed as a table.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlightAbuseTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static int port;
  static FlightTestClient admin;

  /** One case: what was sent, the statuses that are right for it, and what happened. */
  record Outcome(String name, Set<String> expected, String status, String message) {
    boolean right() {
      return expected.contains(status);
    }
  }

  static final Set<String> REFUSED = Set.of("INVALID_ARGUMENT", "NOT_FOUND", "UNAUTHORIZED");

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    ServerLimits d = ServerLimits.defaults();
    // one query at a time and none waiting, so "overloaded" and a vanished client's freed slot show;
    // results capped at 300,000 rows
    ServerLimits limits = new ServerLimits(d.query().withMaxRows(300_000), 1, 0, d.queueTimeout(),
        d.maxRequestBytes(), d.maxHeaderBytes(), d.idleTimeout(), d.shutdownGrace());
    server = lake.start(b -> b.httpPort(0).pgPort(0).limits(limits));
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

  private static Outcome run(String name, Set<String> expected, Callable<String> call) {
    try {
      return new Outcome(name, expected, "OK", call.call());
    } catch (FlightRuntimeException e) {
      return new Outcome(name, expected, e.status().code().name(), String.valueOf(e.status().description()));
    } catch (Exception e) {
      return new Outcome(name, expected, "CLIENT:" + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
    }
  }

  private static String rows(FlightTestClient c, FlightInfo info) {
    return c.count(info).rows() + " rows";
  }

  private static String forgedTicket(FlightTestClient c, com.google.protobuf.Message command) {
    return c.count(new FlightInfo(new org.apache.arrow.vector.types.pojo.Schema(List.of()),
        FlightDescriptor.command(new byte[0]), List.of(new org.apache.arrow.flight.FlightEndpoint(
            new Ticket(Any.pack(command).toByteArray()))), -1, -1)).rows() + " rows";
  }

  private static String bound(String sql, List<String> values, int rowsOfValues) throws Exception {
    FlightSqlClient.PreparedStatement ps = admin.sql.prepare(sql, admin.options);
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(
        values.stream().map(v -> org.apache.arrow.vector.types.pojo.Field.nullable("v" + v.hashCode(),
            org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE)).toList()), admin.allocator)) {
      root.allocateNew();
      for (int r = 0; r < rowsOfValues; r++) {
        for (int v = 0; v < values.size(); v++) {
          ((VarCharVector) root.getVector(v)).setSafe(r, new Text(values.get(v)));
        }
      }
      root.setRowCount(rowsOfValues);
      ps.setParameters(root);
      return rows(admin, ps.execute(admin.options));
    } finally {
      ps.close(admin.options);
    }
  }

  @Test
  void everyCaseGetsItsStatusAndTheServerGoesOnServing() throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    for (String escape : SandboxEscapes.statements()) {
      outcomes.add(run("statement: " + escape, REFUSED, () -> rows(admin, admin.sql.execute(escape, admin.options))));
    }
    for (String escape : SandboxEscapes.statements()) {
      outcomes.add(run("forged ticket: " + escape, REFUSED, () -> forgedTicket(admin, TicketStatementQuery.newBuilder()
          .setStatementHandle(ByteString.copyFromUtf8(escape)).build())));
    }
    for (String escape : SandboxEscapes.statements()) {
      outcomes.add(run("forged prepared handle: " + escape, REFUSED, () -> forgedTicket(admin,
          CommandPreparedStatementQuery.newBuilder().setPreparedStatementHandle(ByteString.copyFromUtf8(escape))
              .build())));
    }
    for (String escape : List.of("SELECT * FROM read_text('/etc/passwd') WHERE content <> ?",
        "COPY (SELECT ?) TO '/tmp/neuralake-escape.csv'")) {
      outcomes.add(run("prepare: " + escape, REFUSED, () -> bound(escape, List.of("x"), 1)));
    }
    Set<String> invalid = Set.of("INVALID_ARGUMENT");
    outcomes.add(run("malformed SQL", invalid, () -> rows(admin, admin.sql.execute("SELEC * FRM tpch.part", admin.options))));
    outcomes.add(run("empty SQL", invalid, () -> rows(admin, admin.sql.execute("", admin.options))));
    outcomes.add(run("unknown table", Set.of("NOT_FOUND"), () -> rows(admin, admin.sql.execute(
        "SELECT * FROM tpch.nation", admin.options))));
    outcomes.add(run("unknown database", Set.of("NOT_FOUND"), () -> rows(admin, admin.sql.execute(
        "SELECT * FROM nope.part", admin.options))));
    outcomes.add(run("unknown column", Set.of("NOT_FOUND", "INVALID_ARGUMENT"), () -> rows(admin, admin.sql.execute(
        "SELECT no_such_column FROM tpch.part", admin.options))));
    outcomes.add(run("path traversal as a table name", REFUSED, () -> rows(admin, admin.sql.execute(
        "SELECT * FROM \"../../etc\".\"passwd\"", admin.options))));
    outcomes.add(run("injection through a parameter", Set.of("OK"), () -> bound(
        "SELECT p_name FROM tpch.part WHERE p_name = ?", List.of("x' OR '1'='1"), 1)));
    outcomes.add(run("statement through a parameter", Set.of("OK"), () -> bound(
        "SELECT p_name FROM tpch.part WHERE p_name = ?", List.of("'); COPY tpch.part TO '/tmp/neuralake-escape.csv'; --"),
        1)));
    outcomes.add(run("more values than parameters", invalid, () -> bound(
        "SELECT p_name FROM tpch.part WHERE p_name = ?", List.of("a", "b"), 1)));
    outcomes.add(run("two rows of values for a query", invalid, () -> bound(
        "SELECT p_name FROM tpch.part WHERE p_name = ?", List.of("a"), 2)));
    outcomes.add(run("SQL over the request limit", Set.of("RESOURCE_EXHAUSTED"), () -> rows(admin, admin.sql.execute(
        "SELECT 1 -- " + "x".repeat((int) ServerLimits.defaults().maxRequestBytes()), admin.options))));
    outcomes.add(run("message over gRPC's bound", Set.of("RESOURCE_EXHAUSTED"), () -> rows(admin, admin.sql.execute(
        "SELECT 1 -- " + "x".repeat(4 << 20), admin.options))));
    outcomes.add(run("ticket of random bytes", invalid, () -> admin.count(new FlightInfo(
        new org.apache.arrow.vector.types.pojo.Schema(List.of()), FlightDescriptor.command(new byte[0]),
        List.of(new org.apache.arrow.flight.FlightEndpoint(new Ticket(new byte[] {(byte) 0xff, 0x13, 0x37}))), -1, -1))
        .rows() + " rows"));
    outcomes.add(run("a command that is not Flight SQL", invalid, () -> String.valueOf(admin.flight.getInfo(
        FlightDescriptor.command("SELECT 1".getBytes(StandardCharsets.UTF_8)), admin.options))));
    outcomes.add(run("a path descriptor", invalid, () -> String.valueOf(admin.flight.getInfo(
        FlightDescriptor.path("tpch", "part"), admin.options))));
    outcomes.add(run("an update statement", Set.of("UNIMPLEMENTED"), () -> admin.sql.executeUpdate(
        "DELETE FROM tpch.part", admin.options) + " rows updated"));
    outcomes.add(run("a transaction", Set.of("UNIMPLEMENTED"), () -> admin.sql.beginTransaction(admin.options)
        .toString()));
    outcomes.add(run("over the row limit", Set.of("RESOURCE_EXHAUSTED"), () -> rows(admin, admin.sql.execute(
        "SELECT s.*, r.range FROM bci.spikes s, range(20) r", admin.options))));
    try (FlightTestClient nobody = FlightTestClient.with(port, null)) {
      outcomes.add(run("no credentials", Set.of("UNAUTHENTICATED"), () -> rows(nobody, nobody.sql.execute(
          "SELECT 1", nobody.options))));
      outcomes.add(run("no credentials, metadata", Set.of("UNAUTHENTICATED"), () -> rows(nobody,
          nobody.sql.getCatalogs(nobody.options))));
      outcomes.add(run("no credentials, forged ticket", Set.of("UNAUTHENTICATED"), () -> forgedTicket(nobody,
          TicketStatementQuery.newBuilder().setStatementHandle(ByteString.copyFromUtf8("SELECT 1")).build())));
    }
    outcomes.add(run("wrong password", Set.of("UNAUTHENTICATED"), () -> {
      FlightTestClient.login(port, "admin", "wrong-password-for-tests").close();
      return "logged in";
    }));
    outcomes.add(run("unknown user", Set.of("UNAUTHENTICATED"), () -> {
      FlightTestClient.login(port, "mallory", ADMIN_PASSWORD).close();
      return "logged in";
    }));
    outcomes.add(run("password of another user", Set.of("UNAUTHENTICATED"), () -> {
      FlightTestClient.login(port, "bci_reader", ADMIN_PASSWORD).close();
      return "logged in";
    }));
    try (FlightTestClient bci = FlightTestClient.login(port, "bci_reader", BCI_PASSWORD)) {
      outcomes.add(run("another user's database", Set.of("NOT_FOUND"), () -> rows(bci, bci.sql.execute(
          "SELECT * FROM tpch.part", bci.options))));
      outcomes.add(run("another user's database, forged ticket", Set.of("NOT_FOUND"), () -> forgedTicket(bci,
          TicketStatementQuery.newBuilder().setStatementHandle(ByteString.copyFromUtf8("SELECT * FROM tpch.orders"))
              .build())));
      outcomes.add(run("another user's database, in a subquery", Set.of("NOT_FOUND"), () -> rows(bci,
          bci.sql.execute("SELECT (SELECT count(*) FROM tpch.part) AS n FROM bci.spikes", bci.options))));
      outcomes.add(run("another user's tables listed", Set.of("OK"), () -> rows(bci,
          bci.sql.getTables(null, "tpch", null, null, false, bci.options))));
    }
    // a client holding a result open holds the only query slot: the next query is told the server is busy
    // (rows padded to about 50 MB, more than the connection's flow-control windows hold unread)
    FlightInfo big = admin.sql.execute("SELECT s.*, r.range, repeat('x', 200) AS pad FROM bci.spikes s, range(15) r",
        admin.options);
    try (FlightTestClient holder = FlightTestClient.login(port, "admin", ADMIN_PASSWORD);
        FlightStream held = holder.sql.getStream(big.getEndpoints().get(0).getTicket(), holder.options)) {
      held.next();
      outcomes.add(run("overloaded", Set.of("RESOURCE_EXHAUSTED"), () -> rows(admin, admin.sql.execute(
          "SELECT 1", admin.options))));
      // the holder vanishes without reading the rest: its query must be cancelled and its slot freed
    }
    outcomes.add(run("after a client vanished mid-result", Set.of("OK"), FlightAbuseTest::servesAgain));

    print(outcomes);
    assertThat(outcomes).hasSizeGreaterThanOrEqualTo(20 + SandboxEscapes.statements().size());
    assertThat(outcomes).allSatisfy(o -> {
      assertThat(o.right()).as("%s: %s %s", o.name(), o.status(), o.message()).isTrue();
      assertThat(o.message()).as(o.name()).isNotBlank();
    });
    assertThat(Files.exists(Path.of("/tmp/neuralake-escape.csv"))).isFalse();
    assertThat(Files.exists(Path.of("/tmp/neuralake-escape.parquet"))).isFalse();
    assertThat(admin.query("SELECT count(*) AS n FROM tpch.orders").rows()).containsExactly(Map.of("n", 15_000L));
  }

  /**
   * A query once the vanished client's slot is free: the server notices the broken stream when it
   * next writes, so this retries "overloaded" a bounded number of times.
   */
  private static String servesAgain() throws InterruptedException {
    FlightRuntimeException last = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        return admin.query("SELECT count(*) AS n FROM tpch.part").rows().toString();
      } catch (FlightRuntimeException e) {
        if (e.status().code() != FlightStatusCode.RESOURCE_EXHAUSTED) {
          throw e;
        }
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }

  private static void print(List<Outcome> outcomes) {
    StringBuilder table = new StringBuilder(String.format("%n%-4s %-70s %-18s %s%n", "#", "case", "status", "message"));
    int i = 1;
    for (Outcome o : outcomes) {
      String name = o.name().length() > 70 ? o.name().substring(0, 67) + "..." : o.name();
      String message = o.message().replaceAll("\\s+", " ");
      table.append(String.format("%-4d %-70s %-18s %s%n", i++, name, o.status() + (o.right() ? "" : " (WRONG)"),
          message.length() > 160 ? message.substring(0, 157) + "..." : message));
    }
    System.out.println(table);
  }
}
