package io.neuralake.server.internal;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.query.Query;
import io.neuralake.query.QueryLimits;
import io.neuralake.server.ServerLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every door runs a query: over the catalog the caller may read (only their databases), with
 * the server's limits, taking a turn from {@link Admission} for as long as the result is open, and
 * counted in {@link ServerMetrics} and the request log when it is closed.
 */
public final class QueryService {
  private static final Logger LOG = LoggerFactory.getLogger("io.neuralake.server.requests");

  private final Catalog catalog;
  private final ServerLimits limits;
  private final Admission admission;
  private final ServerMetrics metrics;
  private final Map<Set<String>, Catalog> restricted = new ConcurrentHashMap<>();
  /**
   * Queries executing or whose result is not closed yet, with what they are for the log, so that
   * shutdown can wait for them and cancel what outlives its grace.
   */
  private final Map<Query, String> running = new ConcurrentHashMap<>();
  private final Object idle = new Object();
  private volatile boolean stopping;
  /** Planning and running happen here, off the doors' virtual threads (see {@link EngineThreads}). */
  private final EngineThreads engineThreads;

  public QueryService(Catalog catalog, ServerLimits limits, Admission admission, ServerMetrics metrics) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.limits = requireNonNull(limits, "limits");
    this.admission = requireNonNull(admission, "admission");
    this.metrics = requireNonNull(metrics, "metrics");
    // a thread per query that may run, and a few for planning beside them
    this.engineThreads = new EngineThreads(limits.maxConcurrentQueries() + 4);
  }

  /** The catalog as the caller sees it: all of it, or only the databases they may read. */
  public Catalog catalog(Principal who) {
    return who.databases().map(dbs -> restricted.computeIfAbsent(dbs, d -> catalog.only(
        catalog.dbs().stream().filter(d::contains).toList()))).orElse(catalog);
  }

  /** SQL planned over the caller's catalog (tables resolved and pruned, nothing read). Close it. */
  public Query prepare(Principal who, String sql) {
    requireNonNull(sql, "sql");
    if (sql.length() > limits.maxRequestBytes()) {
      throw new NeuralakeException(ErrorCode.REQUEST_TOO_LARGE, "the SQL text is " + sql.length()
          + " characters; the server takes at most " + limits.maxRequestBytes());
    }
    Catalog visible = catalog(who);
    return engineThreads.call(() -> visible.prepare(sql));
  }

  /** The limits each query runs under. */
  public QueryLimits queryLimits() {
    return limits.query();
  }

  /**
   * Runs a prepared query once its turn comes (or refuses it: {@link ErrorCode#OVERLOADED}). The
   * result holds the turn until closed; the door reports what it sent before closing it.
   */
  public Result open(Principal who, String door, String what, Query query) {
    long start = System.nanoTime();
    if (stopping) {
      finished(who, door, what, ErrorCode.OVERLOADED.name(), 0, 0, 0);
      throw new NeuralakeException(ErrorCode.OVERLOADED, "the server is shutting down and takes no new queries;"
          + " retry (another replica, or this one once it is back)");
    }
    Admission.Ticket ticket = admission.enter();
    running.put(query, "door=" + door + " user=" + who.name() + " query=" + abbreviated(what));
    try {
      ArrowReader reader = engineThreads.call(() -> query.open(limits.query()));
      return new Result(this, who, door, what, query, reader, ticket, start);
    } catch (RuntimeException e) {
      ticket.close();
      closed(query);
      finished(who, door, what, ErrorCode.of(e).name(), System.nanoTime() - start, 0, 0);
      throw e;
    }
  }

  /**
   * Shutdown, first step: every later {@link #open} is refused ({@link ErrorCode#OVERLOADED}, so
   * clients retry elsewhere); results already open go on.
   */
  public void stopAccepting() {
    stopping = true;
  }

  /**
   * Shutdown, last step: waits up to {@code grace} for running queries to finish and their results
   * to be closed, then cancels the rest (their doors see the cancellation and close them). Returns
   * how many were cancelled.
   */
  public int drain(Duration grace) {
    stopAccepting();
    long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
    synchronized (idle) {
      long left;
      while (!running.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    Map<Query, String> late = Map.copyOf(running);
    late.forEach((query, what) -> {
      LOG.warn("cancelling a query still running after the shutdown grace of {} ms: {}", grace.toMillis(), what);
      query.cancel();
    });
    return late.size();
  }

  /** Ends the engine threads; after {@link #drain}, when no query runs any more. */
  public void close() {
    engineThreads.close();
  }

  /** Queries executing or streaming their result now. */
  public int running() {
    return running.size();
  }

  private void closed(Query query) {
    running.remove(query);
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  public Admission admission() {
    return admission;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  void finished(Principal who, String door, String what, String status, long nanos, long rows, long bytes) {
    metrics.query(door, status, nanos, rows, bytes);
    LOG.info("door={} user={} status={} rows={} bytes={} ms={} query={}", door, who.name(), status, rows, bytes,
        nanos / 1_000_000, abbreviated(what));
  }

  private static String abbreviated(String what) {
    String oneLine = what.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }

  /** A running query's result: its Arrow stream, its turn, and what the door sent, for the log. */
  public static final class Result implements AutoCloseable {
    private final QueryService service;
    private final Principal who;
    private final String door;
    private final String what;
    private final Query query;
    private final ArrowReader reader;
    private final Admission.Ticket ticket;
    private final long start;
    private long rows;
    private long bytes;
    private String status = "OK";
    private boolean closed;

    private Result(QueryService service, Principal who, String door, String what, Query query, ArrowReader reader,
        Admission.Ticket ticket, long start) {
      this.service = service;
      this.who = who;
      this.door = door;
      this.what = what;
      this.query = query;
      this.reader = reader;
      this.ticket = ticket;
      this.start = start;
    }

    public ArrowReader reader() {
      return reader;
    }

    /** What the door sent of the result so far (added up). */
    public void sent(long rows, long bytes) {
      this.rows += rows;
      this.bytes += bytes;
    }

    /** The result failed while it was sent: logged and counted with that error's code. */
    public void failed(Throwable error) {
      this.status = ErrorCode.of(error).name();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        reader.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("closing a result: {}", e.toString());
      } finally {
        ticket.close();
        service.finished(who, door, what, status, System.nanoTime() - start, rows, bytes);
        service.closed(query);
      }
    }
  }
}
