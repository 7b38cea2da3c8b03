package io.neuralake.site;

import static java.util.Objects.requireNonNull;

/**
 * Where a Neuralake server's doors listen, for the code to copy that a catalog's pages show (curl on the HTTP
 * door, psql on the PostgreSQL door, Python on the Flight SQL door): the host clients reach, each door's port
 * (0: the door is off, and its snippet is left out) and whether the doors speak TLS. {@link #DEFAULTS} are
 * {@code neuralake serve}'s; a server serving the site live gives its own.
 *
 * <pre>{@code
 * CatalogExport.of(catalog, "catalog/", new ServerEndpoints("lake.internal", 8080, 5433, 0, true));
 * }</pre>
 */
public record ServerEndpoints(String host, int httpPort, int pgPort, int flightPort, boolean tls) {
  /** {@code neuralake serve}'s defaults: loopback, HTTP 8080, PostgreSQL 5433, Flight SQL 8815, no TLS. */
  public static final ServerEndpoints DEFAULTS = new ServerEndpoints("127.0.0.1", 8080, 5433, 8815, false);

  public ServerEndpoints {
    requireNonNull(host, "host");
    // a name or an address only: the snippets write it into shell commands and URLs as it is
    if (!host.matches("[A-Za-z0-9._:%-]+")) {
      throw new IllegalArgumentException("server host '" + host + "' is not a host name or address: give one such as"
          + " lake.internal or 10.0.0.5");
    }
    checkPort("httpPort", httpPort);
    checkPort("pgPort", pgPort);
    checkPort("flightPort", flightPort);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " " + port + " is not a port: give 1 to 65535, or 0 for a door that"
          + " is off");
    }
  }

  /** The host as a URL writes it: an IPv6 address in brackets. */
  public String urlHost() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
