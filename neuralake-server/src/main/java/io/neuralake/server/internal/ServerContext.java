package io.neuralake.server.internal;

import static java.util.Objects.requireNonNull;

import io.neuralake.catalog.Catalog;
import io.neuralake.server.ServerLimits;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * What every door of one server shares: the catalog, where to listen, who may come in, the
 * limits, the query service that runs, bounds, counts and logs every query, the TLS identity
 * (present: every door speaks TLS only), how users load the catalog ({@code --catalog}: the
 * catalog site's code to copy says it), and the ports of the doors opened before (the site's code points at them).
 */
public record ServerContext(Catalog catalog, InetAddress bind, Authenticator auth, ServerLimits limits,
    QueryService queries, Optional<Tls> tls, String catalogSource, Map<String, Integer> openDoors) {
  public ServerContext(Catalog catalog, InetAddress bind, Authenticator auth, ServerLimits limits, QueryService queries,
      Optional<Tls> tls, String catalogSource) {
    this(catalog, bind, auth, limits, queries, tls, catalogSource, Map.of());
  }

  public ServerContext {
    openDoors = Map.copyOf(openDoors);
    requireNonNull(catalogSource, "catalogSource");
    requireNonNull(catalog, "catalog");
    requireNonNull(bind, "bind");
    requireNonNull(auth, "auth");
    requireNonNull(limits, "limits");
    requireNonNull(queries, "queries");
    requireNonNull(tls, "tls");
  }

  /** This context for a door opened after others: their ports by name ({@code flight}, {@code pg}). */
  public ServerContext withOpenDoors(Map<String, Integer> ports) {
    return new ServerContext(catalog, bind, auth, limits, queries, tls, catalogSource, ports);
  }

  public ServerMetrics metrics() {
    return queries.metrics();
  }
}
