package io.neuralake.server.internal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Who a request runs as, once authenticated: a user's name and the databases they may read (all
 * when empty). An open server's requests run as {@link #ANONYMOUS}.
 */
public record Principal(String name, Optional<Set<String>> databases) {
  public static final Principal ANONYMOUS = new Principal("anonymous", Optional.empty());

  public Principal {
    requireNonNull(name, "name");
    databases = requireNonNull(databases, "databases").map(Set::copyOf);
  }

  public boolean mayRead(String database) {
    return databases.map(d -> d.contains(database)).orElse(true);
  }
}
