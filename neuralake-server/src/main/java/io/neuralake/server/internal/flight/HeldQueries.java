package io.neuralake.server.internal.flight;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queries planned for GetFlightInfo, held until the DoGet of their ticket runs them, so a statement
 * is planned once, not once per call. Bounded in count (in all, and per user, so one user cannot
 * push out everyone else's) and in time: a query not fetched within {@link #hold} is closed, and
 * beyond the bounds the oldest goes first. A query let go is no loss but time: its ticket carries
 * the SQL, planned again when fetched. Holding takes no admission turn (nothing runs yet); a held
 * query keeps only its planned session.
 */
final class HeldQueries implements AutoCloseable {
  private final int max;
  private final int maxPerUser;
  private final Duration hold;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /** In the order they were held: the first is the oldest. */
  private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();
  private boolean closed;

  private record Held(Principal who, Query query, Instant until) {}

  HeldQueries(int max, int maxPerUser, Duration hold, Clock clock) {
    this.max = max;
    this.maxPerUser = maxPerUser;
    this.hold = hold;
    this.clock = clock;
  }

  /** Holds a planned query for {@code who}; returns its id, or empty when closed (the query is closed then). */
  Optional<String> hold(Principal who, Query query) {
    List<Query> dropped = new ArrayList<>();
    String id = newId();
    synchronized (this) {
      if (closed) {
        dropped.add(query);
        id = null;
      } else {
        expire(clock.instant(), dropped);
        if (count(who) >= maxPerUser) {
          dropOldest(who, dropped);
        }
        if (held.size() >= max) {
          dropOldest(null, dropped);
        }
        held.put(id, new Held(who, query, clock.instant().plus(hold)));
      }
    }
    closeAll(dropped);
    return Optional.ofNullable(id);
  }

  /**
   * The query held under {@code id}, handed over (held no more) to the principal it was planned for;
   * empty if none is held (expired, let go, fetched already, or held by another replica).
   *
   * @throws NeuralakeException FORBIDDEN when it was planned for someone else (it stays held for them)
   */
  Optional<Query> take(String id, Principal who) {
    Held h;
    synchronized (this) {
      h = held.get(id);
      if (h == null) {
        return Optional.empty();
      }
      if (!h.who().equals(who)) {
        throw notYours();
      }
      held.remove(id);
    }
    if (!h.until().isAfter(clock.instant())) {
      h.query().close();
      return Optional.empty();
    }
    return Optional.of(h.query());
  }

  /** A ticket (or what it holds) presented by someone it was not issued to. */
  static NeuralakeException notYours() {
    return new NeuralakeException(ErrorCode.FORBIDDEN, "this ticket was issued to another user: execute the"
        + " statement yourself to get a ticket of your own");
  }

  /** Closes the queries held past their time. */
  void expire() {
    List<Query> dropped = new ArrayList<>();
    synchronized (this) {
      expire(clock.instant(), dropped);
    }
    closeAll(dropped);
  }

  synchronized int size() {
    return held.size();
  }

  /** Closes every held query; later ones are closed as they come. */
  @Override
  public void close() {
    List<Query> dropped;
    synchronized (this) {
      closed = true;
      dropped = held.values().stream().map(Held::query).toList();
      held.clear();
    }
    closeAll(dropped);
  }

  private void expire(Instant now, List<Query> dropped) {
    for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (!h.until().isAfter(now)) {
        dropped.add(h.query());
        it.remove();
      }
    }
  }

  private int count(Principal who) {
    int n = 0;
    for (Held h : held.values()) {
      if (h.who().equals(who)) {
        n++;
      }
    }
    return n;
  }

  /** Drops the oldest held query (of {@code who}, or of anyone when null). */
  private void dropOldest(Principal who, List<Query> dropped) {
    for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
      Held h = it.next().getValue();
      if (who == null || h.who().equals(who)) {
        dropped.add(h.query());
        it.remove();
        return;
      }
    }
  }

  private String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Outside the lock: closing a query ends its engine session. */
  private static void closeAll(List<Query> queries) {
    queries.forEach(Query::close);
  }
}
