package io.neuralake.server.flight;

import io.neuralake.spi.Values;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Arrow's own Flight SQL client on a server's Flight door, logged in (or not), every call with a timeout. */
final class FlightTestClient implements AutoCloseable {
  static final CallOption TIMEOUT = CallOptions.timeout(60, TimeUnit.SECONDS);

  final BufferAllocator allocator = new RootAllocator(Long.MAX_VALUE);
  final FlightClient flight;
  final FlightSqlClient sql;
  final CallOption[] options;

  private FlightTestClient(int port, CallOption credentials) {
    this(port, credentials, null);
  }

  /** {@code rootCertificate}: over TLS, trusting that PEM certificate only. */
  private FlightTestClient(int port, CallOption credentials, Path rootCertificate) {
    this.flight = rootCertificate == null
        ? FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build()
        : tls(port, rootCertificate);
    this.sql = new FlightSqlClient(flight);
    this.options = credentials == null ? new CallOption[] {TIMEOUT} : new CallOption[] {TIMEOUT, credentials};
  }

  private FlightClient tls(int port, Path rootCertificate) {
    try (InputStream trusted = Files.newInputStream(rootCertificate)) {
      return FlightClient.builder(allocator, Location.forGrpcTls("127.0.0.1", port)).useTls()
          .trustedCertificates(trusted).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Logged in by the basic handshake: the calls carry the session token it returned. */
  static FlightTestClient login(int port, String user, String password) {
    return login(port, user, password, null);
  }

  /** As {@link #login(int, String, String)}, over TLS trusting {@code rootCertificate} (null: in clear text). */
  static FlightTestClient login(int port, String user, String password, Path rootCertificate) {
    FlightTestClient c = new FlightTestClient(port, null, rootCertificate);
    CallOption bearer;
    try {
      bearer = c.flight.authenticateBasicToken(user, password).orElseThrow();
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    FlightTestClient logged = new FlightTestClient(port, bearer, rootCertificate);
    c.close();
    return logged;
  }

  /** Calls carrying these options as they are (a configured bearer token, or nothing). */
  static FlightTestClient with(int port, CallOption credentials) {
    return new FlightTestClient(port, credentials);
  }

  /** A statement's rows, read from every endpoint. */
  Rows query(String query) {
    return read(sql.execute(query, options));
  }

  /** Every row of every endpoint of a flight, as maps in column order; and how many batches came. */
  Rows read(FlightInfo info) {
    List<Map<String, Object>> rows = new ArrayList<>();
    int batches = 0;
    for (FlightEndpoint e : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(e.getTicket(), options)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          batches++;
          rows.addAll(rows(root));
        }
      } catch (Exception ex) {
        throw ex instanceof RuntimeException r ? r : new IllegalStateException(ex);
      }
    }
    return new Rows(rows, batches);
  }

  /** How many rows and batches a flight has, read without keeping them. */
  Count count(FlightInfo info) {
    long rows = 0;
    int batches = 0;
    for (FlightEndpoint e : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(e.getTicket(), options)) {
        while (stream.next()) {
          rows += stream.getRoot().getRowCount();
          batches++;
        }
      } catch (Exception ex) {
        throw ex instanceof RuntimeException r ? r : new IllegalStateException(ex);
      }
    }
    return new Count(rows, batches);
  }

  record Count(long rows, int batches) {}

  static List<Map<String, Object>> rows(VectorSchemaRoot root) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < root.getRowCount(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (FieldVector v : root.getFieldVectors()) {
        row.put(v.getName(), Values.arrowValue(v, i));
      }
      rows.add(row);
    }
    return rows;
  }

  record Rows(List<Map<String, Object>> rows, int batches) {}

  @Override
  public void close() {
    try {
      flight.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    allocator.close();
  }
}
