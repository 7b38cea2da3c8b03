package io.neuralake.server.internal.flight;

import static io.neuralake.server.ServerFixture.ADMIN_PASSWORD;
import static io.neuralake.server.ServerFixture.BCI_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tickets from GetFlightInfo, through Arrow's Flight SQL client against a live server: the query
 * planned for a ticket runs for its user only, a ticket may be fetched again until it expires, an
 * expired one says so, and cancelling a flight stops its query.
 */
class FlightTicketTest {
  static final String SQL = "SELECT implant_id, count(*) AS n FROM bci.spikes GROUP BY 1 ORDER BY 1";
  static final CallOption TIMEOUT = CallOptions.timeout(60, TimeUnit.SECONDS);

  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static BufferAllocator allocator;
  static Client admin;
  static Client reader;

  /** Arrow's Flight SQL client, logged in by the basic handshake. */
  record Client(FlightClient flight, FlightSqlClient sql, CallOption[] options) implements AutoCloseable {
    static Client login(int port, String user, String password) {
      FlightClient flight = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
      CallOption bearer = flight.authenticateBasicToken(user, password).orElseThrow();
      return new Client(flight, new FlightSqlClient(flight), new CallOption[] {TIMEOUT, bearer});
    }

    long rows(Ticket ticket) throws Exception {
      long rows = 0;
      try (FlightStream stream = sql.getStream(ticket, options)) {
        while (stream.next()) {
          rows += stream.getRoot().getRowCount();
        }
      }
      return rows;
    }

    @Override
    public void close() throws Exception {
      flight.close();
    }
  }

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).pgPort(0));
    allocator = new RootAllocator();
    int port = server.flightPort().orElseThrow();
    admin = Client.login(port, "admin", ADMIN_PASSWORD);
    reader = Client.login(port, "bci_reader", BCI_PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {admin, reader}) {
      if (c != null) {
        c.close();
      }
    }
    if (server != null) {
      server.close();
    }
    if (allocator != null) {
      allocator.close();
    }
    lake.close();
  }

  private static Ticket ticketOf(FlightInfo info) {
    assertThat(info.getEndpoints()).hasSize(1);
    return info.getEndpoints().get(0).getTicket();
  }

  private static StatementTicket decoded(Ticket ticket) throws Exception {
    ByteString handle = Any.parseFrom(ticket.getBytes()).unpack(TicketStatementQuery.class).getStatementHandle();
    return StatementTicket.decode(handle.toByteArray()).orElseThrow();
  }

  private static Ticket encoded(StatementTicket t) {
    return new Ticket(Any.pack(TicketStatementQuery.newBuilder().setStatementHandle(ByteString.copyFrom(t.encode()))
        .build()).toByteArray());
  }

  private static void assertRefused(ThrowingRunnable call, FlightStatusCode status, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
      assertThat(e.status().code()).isEqualTo(status);
      assertThat(e.getMessage()).contains(message);
    });
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aTicketCanBeFetchedAgainUntilItExpiresAndSaysWhen() throws Exception {
    FlightInfo info = admin.sql().execute(SQL, admin.options());
    FlightEndpoint endpoint = info.getEndpoints().get(0);
    assertThat(endpoint.getExpirationTime()).isPresent();
    assertThat(endpoint.getExpirationTime().get()).isAfter(Instant.now());
    long first = admin.rows(endpoint.getTicket());
    assertThat(first).isPositive();
    // the held query went with the first fetch: the second plans the ticket's SQL again
    assertThat(admin.rows(endpoint.getTicket())).isEqualTo(first);
  }

  @Test
  void anotherUsersTicketIsRefusedAndStaysGoodForItsUser() throws Exception {
    Ticket ticket = ticketOf(admin.sql().execute(SQL, admin.options()));
    assertRefused(() -> reader.rows(ticket), FlightStatusCode.UNAUTHORIZED, "issued to another user");
    // the same ticket with the reader's name written in: the query held for it is still the admin's
    StatementTicket t = decoded(ticket);
    Ticket renamed = encoded(new StatementTicket(t.id(), "bci_reader", t.expires(), t.sql()));
    assertRefused(() -> reader.rows(renamed), FlightStatusCode.UNAUTHORIZED, "issued to another user");
    assertThat(admin.rows(ticket)).isPositive();
  }

  @Test
  void aTicketOfAnotherUserThatIsNoLongerHeldRunsOnlyAsTheCaller() throws Exception {
    // fetched once, the admin's query is no longer held; its SQL, renamed to the reader, runs over what the reader may read
    Ticket ticket = ticketOf(admin.sql().execute("SELECT count(*) AS n FROM tpch.orders", admin.options()));
    assertThat(admin.rows(ticket)).isEqualTo(1);
    StatementTicket t = decoded(ticket);
    Ticket renamed = encoded(new StatementTicket(t.id(), "bci_reader", t.expires(), t.sql()));
    assertRefused(() -> reader.rows(renamed), FlightStatusCode.NOT_FOUND, "TABLE_NOT_FOUND");
  }

  @Test
  void anExpiredTicketSaysSoAndHowToGetANewOne() throws Exception {
    StatementTicket t = decoded(ticketOf(admin.sql().execute(SQL, admin.options())));
    Ticket expired = encoded(new StatementTicket(t.id(), t.user(), Instant.now().minusSeconds(1), t.sql()));
    assertRefused(() -> admin.rows(expired), FlightStatusCode.INVALID_ARGUMENT, "the ticket expired at");
  }

  @Test
  void aDamagedTicketIsRefused() throws Exception {
    byte[] whole = decoded(ticketOf(admin.sql().execute(SQL, admin.options()))).encode();
    Ticket cut = new Ticket(Any.pack(TicketStatementQuery.newBuilder()
        .setStatementHandle(ByteString.copyFrom(whole, 0, whole.length - 3)).build()).toByteArray());
    assertRefused(() -> admin.rows(cut), FlightStatusCode.INVALID_ARGUMENT, "the ticket is damaged");
  }

  @Test
  void cancellingAFlightLetsItsHeldQueryGoAndStopsItsStream() throws Exception {
    FlightInfo notFetched = admin.sql().execute(SQL, admin.options());
    assertThat(cancel(admin, notFetched)).isEqualTo(CancelStatus.CANCELLED);
    assertThat(cancel(admin, notFetched)).as("nothing is held or running for it any more")
        .isEqualTo(CancelStatus.NOT_CANCELLABLE);

    // 8 million rows, about 120 batches: flow control keeps the server a few batches ahead of the reader
    FlightInfo big = admin.sql().execute("SELECT range AS n, range * 3 AS m FROM range(8000000)", admin.options());
    assertRefused(() -> cancel(reader, big), FlightStatusCode.UNAUTHORIZED, "issued to another user");
    try (FlightStream stream = admin.sql().getStream(big.getEndpoints().get(0).getTicket(), admin.options())) {
      assertThat(stream.next()).isTrue();
      assertThat(cancel(admin, big)).isEqualTo(CancelStatus.CANCELLED);
      assertRefused(() -> {
        for (int batches = 0; stream.next() && batches < 1_000; batches++) {
          // drains what was sent before the cancel
        }
      }, FlightStatusCode.CANCELLED, "cancel");
    }
    assertThat(admin.rows(ticketOf(admin.sql().execute(SQL, admin.options())))).as("the server still serves")
        .isPositive();
  }

  private static CancelStatus cancel(Client c, FlightInfo info) {
    return c.sql().cancelFlightInfo(new CancelFlightInfoRequest(info), c.options()).getStatus();
  }
}
