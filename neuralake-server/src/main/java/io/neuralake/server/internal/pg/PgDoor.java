package io.neuralake.server.internal.pg;

import io.neuralake.server.ServerLimits;
import io.neuralake.server.internal.Door;
import io.neuralake.server.internal.ServerContext;
import io.neuralake.server.internal.Tls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL wire protocol door (protocol 3.0, plain sockets or TLS after SSLRequest, one virtual thread per
 * connection): psql, JDBC, Grafana and other PostgreSQL clients query the catalog through it.
 */
public final class PgDoor implements Door {
  private static final Logger LOG = LoggerFactory.getLogger(PgDoor.class);
  /**
   * Connections over the limit still get an answer, up to this many at once: their startup packet
   * is read, a cancel request is carried out (a client at the limit must still cancel its query),
   * anything else is refused with 53300. Beyond these the socket is closed unread.
   */
  private static final int OVER_LIMIT_ANSWERS = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerContext context;
  private final ServerSocket socket;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<Integer, PgConnection> connections = new ConcurrentHashMap<>();
  private final AtomicInteger nextProcessId = new AtomicInteger(1000 + RANDOM.nextInt(1_000_000));
  private final Map<String, List<Scram.Secret>> secrets = new ConcurrentHashMap<>();
  private final PgTableSchemas schemas;
  /** Sockets being served, over the limit or not: what {@link ServerLimits#maxConnections()} bounds. */
  private final AtomicInteger open = new AtomicInteger();

  private final PgParser parser;
  /** The TLS context when TLS is configured: SSLRequests are then accepted and clear-text sessions refused. */
  private final Optional<SSLContext> ssl;

  private PgDoor(ServerContext context, ServerSocket socket, PgParser parser) {
    this.context = context;
    this.ssl = context.tls().map(Tls::sslContext);
    this.schemas = new PgTableSchemas(context);
    this.socket = socket;
    this.parser = parser;
  }

  /** Listens on the server's address and {@code port} (0: any free port). */
  public static Door open(ServerContext context, int port) throws IOException {
    PgParser parser;
    try {
      parser = new PgParser();
    } catch (SQLException e) {
      throw new IOException("could not start the PostgreSQL door's SQL parser: " + e.getMessage(), e);
    }
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(context.bind(), port), 128);
    } catch (IOException e) {
      parser.close();
      s.close();
      throw e;
    }
    PgDoor door = new PgDoor(context, s, parser);
    Thread.ofVirtual().name("pg-accept").start(door::accept);
    return door;
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        int open = this.open.incrementAndGet();
        if (open > context.limits().maxConnections() + OVER_LIMIT_ANSWERS) {
          this.open.decrementAndGet();
          LOG.warn("refusing a PostgreSQL connection from {}: {} are open, the limit is {}"
              + " (NEURALAKE_SERVER_MAX_CONNECTIONS)", client.getRemoteSocketAddress(), open - 1,
              context.limits().maxConnections());
          client.close();
          continue;
        }
        int pid = nextProcessId.incrementAndGet();
        PgConnection c = new PgConnection(this, client, pid, RANDOM.nextInt(), open > context.limits().maxConnections());
        connections.put(pid, c);
        threads.submit(() -> {
          try {
            c.run();
          } finally {
            connections.remove(pid);
            this.open.decrementAndGet();
          }
        });
      } catch (IOException e) {
        if (!socket.isClosed()) {
          LOG.warn("accepting a PostgreSQL connection: {}", e.toString());
        }
      }
    }
  }

  ServerContext context() {
    return context;
  }

  Optional<SSLContext> ssl() {
    return ssl;
  }

  /** The salted secrets of a user's password and token, derived once with one random salt. */
  Map<String, List<Scram.Secret>> secrets() {
    return secrets;
  }

  /** Reads select lists, for PostgreSQL's column names. */
  PgParser parser() {
    return parser;
  }

  /** Table schemas for the catalog relations, planned again when a table's metadata changes. */
  PgTableSchemas schemas() {
    return schemas;
  }

  /** {@code pg_stat_activity}: the connections of one user (as PostgreSQL shows others' queries to no one). */
  List<Object[]> activity(String user) {
    return connections.values().stream().map(PgConnection::activity).filter(row -> user.equals(row[3])).toList();
  }

  /** A CancelRequest: cancels the running query of the connection with that process id and key. */
  void cancel(int processId, int secretKey) {
    PgConnection c = connections.get(processId);
    if (c != null && c.secretKey() == secretKey) {
      c.cancelRunning();
    }
  }

  @Override
  public String name() {
    return "pg";
  }

  @Override
  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close(Duration grace) {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing the PostgreSQL listener: {}", e.toString());
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (int i = 0; i < 10_000 && System.nanoTime() < deadline
        && connections.values().stream().anyMatch(PgConnection::isRunning); i++) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    connections.values().forEach(PgConnection::kill);
    threads.shutdownNow();
    parser.close();
  }
}
