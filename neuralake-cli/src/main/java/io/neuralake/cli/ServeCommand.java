package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServedCatalog;
import io.neuralake.server.ServerLimits;
import io.neuralake.server.ServerTls;
import io.neuralake.server.Users;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code neuralake serve}: the catalog behind one server's doors (HTTP, Flight SQL, PostgreSQL),
 * on a sandboxed engine, until SIGTERM or Ctrl-C, which closes it gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the catalog over HTTP (SQL, REST, GraphQL), Arrow Flight SQL and the PostgreSQL wire protocol,"
        + " on an engine sandboxed to the lake. A port of 0 turns its door off.",
        "Users: --auth FILE (YAML: users: [{name, token, password, databases}], secrets as ${VARIABLE}), else"
        + " NEURALAKE_SERVER_TOKEN / NEURALAKE_SERVER_PASSWORD (user NEURALAKE_SERVER_USER). Without users the server"
        + " is open, which only a loopback address may be.",
        "TLS: --tls-cert FILE --tls-key FILE (or NEURALAKE_SERVER_TLS_CERT / _KEY): every door then takes encrypted"
        + " connections only.",
        "Limits: NEURALAKE_SERVER_QUERY_TIMEOUT, _MAX_ROWS, _MAX_RESULT_BYTES, _MAX_CONCURRENT, _MAX_QUEUED,"
        + " _QUEUE_TIMEOUT, _MAX_REQUEST_BYTES, _IDLE_TIMEOUT, _SHUTDOWN_GRACE (each after NEURALAKE_SERVER)."})
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Mixin CatalogOption catalog;
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "The address to listen on. Default: ${DEFAULT-VALUE}; any other than loopback needs users.")
  String bind;

  @CommandLine.Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
      description = "HTTP (SQL, REST, GraphQL, /metrics). Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @CommandLine.Option(names = "--flight-port", defaultValue = "8815", paramLabel = "PORT",
      description = "Arrow Flight SQL. Default: ${DEFAULT-VALUE}.")
  int flightPort;

  @CommandLine.Option(names = "--pg-port", defaultValue = "5433", paramLabel = "PORT",
      description = "PostgreSQL wire protocol. Default: ${DEFAULT-VALUE}.")
  int pgPort;

  @CommandLine.Option(names = "--auth", paramLabel = "FILE",
      description = "The users file (YAML). Default: the NEURALAKE_SERVER_TOKEN / _PASSWORD user, if set.")
  Path auth;

  @CommandLine.Option(names = "--tls-cert", paramLabel = "FILE",
      description = "TLS on every door (HTTPS, Flight SQL over TLS, PostgreSQL SSL required): the PEM certificate chain"
          + " (certbot's fullchain.pem), with --tls-key. Default: NEURALAKE_SERVER_TLS_CERT, if set.")
  Path tlsCert;

  @CommandLine.Option(names = "--tls-key", paramLabel = "FILE",
      description = "The certificate's PEM PKCS#8 private key (certbot's privkey.pem), unencrypted."
          + " Default: NEURALAKE_SERVER_TLS_KEY, if set.")
  Path tlsKey;

  @Override
  public Integer call() throws InterruptedException {
    String catalogSpec = catalog.spec();
    Users users = auth != null ? Users.load(auth) : Users.fromEnvironment();
    ServerLimits limits = ServerLimits.fromEnvironment();
    Optional<ServerTls> tls = tls(); // read and checked before the catalog loads, as the address is
    NeuralakeServer.checkBind(bind, users); // before the catalog loads: refusing takes no time
    PrintWriter out = spec.commandLine().getOut();
    try (ServedCatalog served = ServedCatalog.load(catalogSpec)) {
      NeuralakeServer.Builder builder = NeuralakeServer.builder(served.catalog()).catalogSource(catalogSpec).bind(bind).httpPort(httpPort)
          .flightPort(flightPort).pgPort(pgPort).users(users).limits(limits);
      tls.ifPresent(builder::tls);
      NeuralakeServer server = builder.start();
      // SIGTERM and Ctrl-C: refuse new queries, let running ones finish within the grace, then stop
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        out.println("stopping: running queries get up to " + limits.shutdownGrace().toSeconds() + " s to finish");
        out.flush();
        server.close();
        served.close();
        out.println("stopped");
        out.flush();
      }, "neuralake-serve-shutdown"));
      printDoors(out, served, server, users, tls);
      server.awaitShutdown();
    }
    return 0;
  }

  /** From the options (both or neither), else from the environment. */
  private Optional<ServerTls> tls() {
    if (tlsCert == null && tlsKey == null) {
      return ServerTls.fromEnvironment();
    }
    if (tlsCert == null || tlsKey == null) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, (tlsCert == null ? "--tls-key" : "--tls-cert")
          + " needs " + (tlsCert == null ? "--tls-cert" : "--tls-key") + ": TLS takes the PEM certificate chain and its"
          + " private key");
    }
    return Optional.of(ServerTls.load(tlsCert, "--tls-cert", tlsKey, "--tls-key"));
  }

  private void printDoors(PrintWriter out, ServedCatalog served, NeuralakeServer server, Users users,
      Optional<ServerTls> certificate) {
    Catalog c = served.catalog();
    String host = server.address().getHostAddress();
    out.println("serving catalog " + c.name() + " (databases: " + String.join(", ", c.dbs()) + ") on " + host);
    boolean tls = certificate.isPresent();
    door(out, "http", httpPort, server.httpPort(), p -> (tls ? "https://" : "http://") + host + ":" + p
        + "/  (the catalog site; POST /api/sql, GET /api/tables/{db}.{table}, /metrics)");
    door(out, "flight", flightPort, server.flightPort(), p -> "jdbc:arrow-flight-sql://" + host + ":" + p
        + (tls ? "?useEncryption=true" : "?useEncryption=false"));
    String db = c.dbs().isEmpty() ? c.name() : c.dbs().getFirst();
    door(out, "pg", pgPort, server.pgPort(), p -> "postgresql://" + host + ":" + p + "/" + db
        + (tls ? "?sslmode=verify-full" : "") + "  (psql -h " + host + " -p " + p + ")");
    certificate.ifPresent(t -> out.println("TLS only on every door: " + t));
    out.println("engine sandboxed to " + served.readableFolders().stream().map(Path::toString).toList());
    if (users.isEmpty()) {
      out.println("OPEN: no authentication (anyone on this machine may query); give --auth FILE or"
          + " NEURALAKE_SERVER_TOKEN to require it");
    } else {
      out.println("authentication required: " + users.all().size() + " user(s)");
    }
    out.println("ready (SIGTERM or Ctrl-C stops it)");
    out.flush();
  }

  private static void door(PrintWriter out, String name, int asked, OptionalInt open,
      java.util.function.IntFunction<String> where) {
    if (open.isPresent()) {
      out.printf("  %-7s %s%n", name, where.apply(open.getAsInt()));
    } else if (asked != 0) {
      out.printf("  %-7s not available in this build%n", name);
    }
  }
}
