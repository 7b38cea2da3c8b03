package io.neuralake.server;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.server.internal.Admission;
import io.neuralake.server.internal.Authenticator;
import io.neuralake.server.internal.Door;
import io.neuralake.server.internal.QueryService;
import io.neuralake.server.internal.ServerContext;
import io.neuralake.server.internal.ServerMetrics;
import io.neuralake.server.internal.flight.FlightDoor;
import io.neuralake.server.internal.http.HttpDoor;
import io.neuralake.server.internal.pg.PgDoor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process serving a catalog through several doors: HTTP (SQL, REST, GraphQL), Arrow Flight
 * SQL and the PostgreSQL wire protocol, all over the same catalog, limits and users. It keeps no
 * state besides the runtime's caches, so replicas can serve one lake behind a load balancer.
 *
 * <pre>{@code
 * try (NeuralakeServer server = NeuralakeServer.builder(catalog).httpPort(8080).users(users).start()) {
 *   server.awaitShutdown();
 * }
 * }</pre>
 */
public final class NeuralakeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NeuralakeServer.class);

  private final ServerContext context;
  private final Map<String, Door> doors;
  private final Object stopped = new Object();
  private boolean closed;

  private NeuralakeServer(ServerContext context, Map<String, Door> doors) {
    this.context = context;
    this.doors = doors;
  }

  public static Builder builder(Catalog catalog) {
    return new Builder(catalog);
  }

  /** The HTTP door's port, if it is open. */
  public OptionalInt httpPort() {
    return port("http");
  }

  /** The Flight SQL door's port, if it is open. */
  public OptionalInt flightPort() {
    return port("flight");
  }

  /** The PostgreSQL door's port, if it is open. */
  public OptionalInt pgPort() {
    return port("pg");
  }

  private OptionalInt port(String door) {
    Door d = doors.get(door);
    return d == null ? OptionalInt.empty() : OptionalInt.of(d.port());
  }

  /** How the doors run queries (tests run queries through it as a door would). */
  QueryService queries() {
    return context.queries();
  }

  /** Whether every door speaks TLS only (HTTPS, Flight SQL over TLS, PostgreSQL with SSL). */
  public boolean isTls() {
    return context.tls().isPresent();
  }

  /** The address the doors listen on. */
  public InetAddress address() {
    return context.bind();
  }

  /** Blocks until {@link #close()} is called (from a shutdown hook, say). */
  public void awaitShutdown() throws InterruptedException {
    synchronized (stopped) {
      while (!closed) {
        stopped.wait();
      }
    }
  }

  /**
   * Stops every door: no new connections and no new queries (refused as overloaded, so clients
   * retry on another replica), running queries get the limits' shutdown grace to finish, then are
   * cancelled. Returns when they are done or cancelled. Idempotent. The catalog's runtime stays open (it is the caller's).
   */
  @Override
  public void close() {
    synchronized (stopped) {
      if (closed) {
        return;
      }
      closed = true;
      stopped.notifyAll();
    }
    // new queries are refused from now on (clients retry elsewhere); running ones share one deadline
    context.queries().stopAccepting();
    long deadline = System.nanoTime() + context.limits().shutdownGrace().toNanos();
    for (Door d : doors.values()) {
      try {
        d.close(left(deadline));
      } catch (RuntimeException e) {
        LOG.warn("closing the {} door: {}", d.name(), e.toString());
      }
    }
    int cancelled = context.queries().drain(left(deadline));
    context.queries().close();
    LOG.info("server stopped{}", cancelled == 0 ? "" : " (" + cancelled + " queries cancelled after the shutdown grace)");
  }

  /**
   * The address to listen on, checked before anything starts: it must exist, and without users it
   * must be a loopback address (an open server is for local development only).
   */
  public static InetAddress checkBind(String bind, Users users) {
    InetAddress address;
    try {
      address = InetAddress.getByName(requireNonNull(bind, "bind"));
    } catch (UnknownHostException e) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "cannot listen on '" + bind + "': no such address", e);
    }
    if (requireNonNull(users, "users").isEmpty() && !address.isLoopbackAddress()) {
      throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "refusing to serve on " + bind + " without authentication:"
          + " give users (neuralake serve --auth FILE, or NEURALAKE_SERVER_TOKEN / NEURALAKE_SERVER_PASSWORD), or bind"
          + " to 127.0.0.1");
    }
    return address;
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** A port number that asks the system for any free port (tests; the bound one is then {@link #httpPort()} etc.). */
  public static final int ANY_PORT = -1;

  private record Wanted(String name, int port, Door.Opener opener) {}

  public static final class Builder {
    private final Catalog catalog;
    private String bind = "127.0.0.1";
    private int httpPort = 8080;
    private int flightPort = 8815;
    private int pgPort = 5433;
    private Users users = Users.none();
    private ServerLimits limits = ServerLimits.defaults();
    private String catalogSource = "PATH/TO/CATALOG";
    private ServerTls tls;

    private Builder(Catalog catalog) {
      this.catalog = requireNonNull(catalog, "catalog");
    }

    /** The address to listen on (default {@code 127.0.0.1}); off loopback, users are required. */
    public Builder bind(String address) {
      this.bind = requireNonNull(address, "address");
      return this;
    }

    /** The HTTP door's port (default 8080; 0 turns the door off). */
    public Builder httpPort(int port) {
      this.httpPort = checkPort("httpPort", port);
      return this;
    }

    /** The Flight SQL door's port (default 8815; 0 turns the door off). */
    public Builder flightPort(int port) {
      this.flightPort = checkPort("flightPort", port);
      return this;
    }

    /** The PostgreSQL door's port (default 5433; 0 turns the door off). */
    public Builder pgPort(int port) {
      this.pgPort = checkPort("pgPort", port);
      return this;
    }

    public Builder users(Users users) {
      this.users = requireNonNull(users, "users");
      return this;
    }

    public Builder limits(ServerLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /**
     * How users load the catalog ({@code --catalog PATH}, a folder of Java sources or {@code JAR!CLASS}): the
     * catalog site at {@code /} writes it into its Java snippets. Default: {@code PATH/TO/CATALOG}.
     */
    public Builder catalogSource(String source) {
      this.catalogSource = requireNonNull(source, "source");
      return this;
    }

    /**
     * TLS on every door from a PEM certificate chain and its PEM PKCS#8 private key (certbot's
     * fullchain.pem and privkey.pem), read and checked now: HTTPS only, Flight SQL over TLS, and
     * PostgreSQL clients must ask for SSL.
     */
    public Builder tls(Path certificate, Path key) {
      return tls(ServerTls.load(certificate, key));
    }

    /** TLS on every door, from files already read and checked ({@link ServerTls#fromEnvironment()}, say). */
    public Builder tls(ServerTls tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /** Opens the doors; fails (closing any it opened) if one cannot listen. */
    public NeuralakeServer start() {
      InetAddress address = checkBind(bind, users);
      for (String db : users.all().stream().flatMap(u -> u.databases().stream().flatMap(s -> s.stream())).toList()) {
        catalog.db(db); // a user allowed a database the catalog lacks is a typo: say so now
      }
      ServerMetrics metrics = new ServerMetrics();
      Admission admission = new Admission(limits.maxConcurrentQueries(), limits.maxQueuedQueries(), limits.queueTimeout());
      metrics.gauge("neuralake_queries_running", admission::running);
      metrics.gauge("neuralake_queries_queued", admission::queued);
      ServerContext context = new ServerContext(catalog, address, new Authenticator(users), limits,
          new QueryService(catalog, limits, admission, metrics), Optional.ofNullable(tls).map(ServerTls::material),
          catalogSource);
      Map<String, Door> open = new LinkedHashMap<>();
      List<Wanted> wanted = List.of(
          // each door: its name (as in --NAME-port), the port asked for, how it opens; HTTP last, as its site's code
          // to copy points at the others' ports
          new Wanted("flight", flightPort, FlightDoor::open),
          new Wanted("pg", pgPort, PgDoor::open),
          new Wanted("http", httpPort, HttpDoor::open)
      );
      for (Wanted w : wanted) {
        String name = w.name();
        int port = w.port();
        if (port == 0) {
          continue;
        }
        try {
          Map<String, Integer> ports = new LinkedHashMap<>();
          open.forEach((n, door) -> ports.put(n, door.port()));
          open.put(name, w.opener().open(context.withOpenDoors(ports), port == ANY_PORT ? 0 : port));
        } catch (Exception e) {
          open.values().forEach(Door::close);
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the " + name + " door cannot listen on " + bind + ":"
              + port + " (" + e.getMessage() + "); choose another port with --" + name + "-port, or 0 to turn it off", e);
        }
      }
      Map<String, Door> doors = new LinkedHashMap<>(); // told and closed in the order of the options: http, flight, pg
      for (String name : List.of("http", "flight", "pg")) {
        if (open.containsKey(name)) {
          doors.put(name, open.get(name));
        }
      }
      NeuralakeServer server = new NeuralakeServer(context, doors);
      LOG.info("serving catalog {} on {}: {}{}{}", catalog.name(), bind, open.isEmpty() ? "no doors" : String.join(", ",
          doors.values().stream().map(d -> d.name() + " " + d.port()).toList()),
          users.isEmpty() ? " (open: no authentication, loopback only)" : " (" + users.all().size() + " users)",
          tls == null ? "; no TLS" : "; TLS only on every door, " + tls);
      return server;
    }

    private static int checkPort(String name, int port) {
      if (port < ANY_PORT || port > 65535) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, name + " " + port + " is not a port: give 1 to 65535, or 0"
            + " to turn the door off");
      }
      return port;
    }
  }
}
