package io.neuralake.server.internal.flight;

import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queries planned when a statement without parameters is prepared, kept for the execution that
 * follows: the Flight SQL JDBC driver prepares every statement it runs and executes it at once, so
 * the prepare's plan (planned for its result schema anyway) serves the execution instead of a second
 * planning. Only a plan made moments ago is used ({@link #FRESH}): an execution later than that, or a
 * statement run again, is planned anew and so sees commits made since. The queries themselves live in
 * {@link HeldQueries}, whose bounds and expiry apply.
 */
final class PreparedPlans {
  /** How old a prepare's plan may be when its execution comes. */
  static final Duration FRESH = Duration.ofSeconds(2);

  private record Key(String user, String sql) {}

  private record Kept(String id, Principal who, Instant at) {}

  private final HeldQueries held;
  private final Clock clock;
  private final Map<Key, Kept> kept = new ConcurrentHashMap<>();

  PreparedPlans(HeldQueries held, Clock clock) {
    this.held = held;
    this.clock = clock;
  }

  /** Keeps {@code query}, planned for {@code who} from {@code sql}, for its execution. */
  void keep(Principal who, String sql, Query query) {
    dropStale();
    held.hold(who, query).ifPresent(id -> {
      Kept previous = kept.put(new Key(who.name(), sql), new Kept(id, who, clock.instant()));
      if (previous != null) {
        held.take(previous.id(), previous.who()).ifPresent(Query::close);
      }
    });
  }

  /** The plan kept for {@code who}'s {@code sql}, handed over once, if it is fresh; empty otherwise. */
  Optional<Query> take(Principal who, String sql) {
    Kept k = kept.remove(new Key(who.name(), sql));
    if (k == null) {
      return Optional.empty();
    }
    Optional<Query> query = held.take(k.id(), k.who());
    if (query.isPresent() && isStale(k)) {
      query.get().close();
      return Optional.empty();
    }
    return query;
  }

  /** Closes the plan kept for a statement being closed. */
  void drop(Principal who, String sql) {
    take(who, sql).ifPresent(Query::close);
  }

  int size() {
    return kept.size();
  }

  private boolean isStale(Kept k) {
    return !k.at().plus(FRESH).isAfter(clock.instant());
  }

  /** Plans never executed go as soon as they are stale, so the map holds at most a moment's prepares. */
  private void dropStale() {
    List<Kept> stale = new ArrayList<>();
    kept.entrySet().removeIf(e -> isStale(e.getValue()) && stale.add(e.getValue()));
    stale.forEach(k -> held.take(k.id(), k.who()).ifPresent(Query::close));
  }
}
