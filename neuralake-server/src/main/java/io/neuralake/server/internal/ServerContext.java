package io.neuralake.server.internal;

import static java.util.Objects.requireNonNull;

import io.neuralake.catalog.Catalog;
import io.neuralake.server.ServerLimits;
import java.net.InetAddress;
import java.util.Optional;

/**
 * What every door of one server shares: the catalog, where to listen, who may come in, the
 * limits, the query service that runs, bounds, counts and logs every query, the TLS identity
 * (present: every door speaks TLS only), and how users load the catalog ({@code --catalog}: the
 * catalog site's code to copy says it).
 */
public record ServerContext(Catalog catalog, InetAddress bind, Authenticator auth, ServerLimits limits,
    QueryService queries, Optional<Tls> tls, String catalogSource) {
  public ServerContext {
    requireNonNull(catalogSource, "catalogSource");
    requireNonNull(catalog, "catalog");
    requireNonNull(bind, "bind");
    requireNonNull(auth, "auth");
    requireNonNull(limits, "limits");
    requireNonNull(queries, "queries");
    requireNonNull(tls, "tls");
  }

  public ServerMetrics metrics() {
    return queries.metrics();
  }
}
