package io.neuralake.server;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.QueryLimits;
import io.neuralake.spi.Settings;
import java.time.Duration;

/**
 * What one server lets a request use. Every query runs under {@link #query()} (time, rows, result
 * bytes); at most {@link #maxConcurrentQueries()} run at once and {@link #maxQueuedQueries()} wait,
 * each at most {@link #queueTimeout()} (beyond that the answer is "overloaded": HTTP 429). Requests
 * are bounded in size and in how long a silent client may hold a connection.
 *
 * @param query limits of each query
 * @param maxConcurrentQueries queries executing at once, on all doors together
 * @param maxQueuedQueries queries waiting for a turn; more are refused at once
 * @param queueTimeout how long a query waits for a turn before it is refused
 * @param maxRequestBytes the largest request body (SQL text, GraphQL document) or protocol message
 * @param maxHeaderBytes the largest HTTP request head (request line and headers)
 * @param idleTimeout how long a connection may stay silent (mid-request or between requests)
 * @param shutdownGrace how long closing the server lets running queries finish before cancelling them
 * @param maxConnections PostgreSQL wire connections open at once, idle ones included (each holds a
 *     socket and a thread); one more is refused with SQLSTATE 53300 and closed
 */
public record ServerLimits(
    QueryLimits query,
    int maxConcurrentQueries,
    int maxQueuedQueries,
    Duration queueTimeout,
    long maxRequestBytes,
    int maxHeaderBytes,
    Duration idleTimeout,
    Duration shutdownGrace,
    int maxConnections) {

  /** PostgreSQL's own default of {@code max_connections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 100;

  public ServerLimits {
    requireNonNull(query, "query");
    requireNonNull(queueTimeout, "queueTimeout");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(shutdownGrace, "shutdownGrace");
    positive("maxConcurrentQueries", maxConcurrentQueries);
    if (maxQueuedQueries < 0) {
      throw invalid("maxQueuedQueries", maxQueuedQueries, "zero or more");
    }
    positive("maxRequestBytes", maxRequestBytes);
    positive("maxHeaderBytes", maxHeaderBytes);
    if (idleTimeout.isZero() || idleTimeout.isNegative()) {
      throw invalid("idleTimeout", idleTimeout, "a positive duration");
    }
    positive("maxConnections", maxConnections);
  }

  /** Limits with the default number of PostgreSQL wire connections ({@value #DEFAULT_MAX_CONNECTIONS}). */
  public ServerLimits(QueryLimits query, int maxConcurrentQueries, int maxQueuedQueries, Duration queueTimeout,
      long maxRequestBytes, int maxHeaderBytes, Duration idleTimeout, Duration shutdownGrace) {
    this(query, maxConcurrentQueries, maxQueuedQueries, queueTimeout, maxRequestBytes, maxHeaderBytes, idleTimeout,
        shutdownGrace, DEFAULT_MAX_CONNECTIONS);
  }

  /** These limits with another number of PostgreSQL wire connections open at once. */
  public ServerLimits withMaxConnections(int connections) {
    return new ServerLimits(query, maxConcurrentQueries, maxQueuedQueries, queueTimeout, maxRequestBytes,
        maxHeaderBytes, idleTimeout, shutdownGrace, connections);
  }

  /**
   * Limits that suit one machine serving a team: 5 minutes and 10 million rows and 1 GB of result
   * per query, 8 queries at once and 64 waiting up to 30 seconds, 1 MB requests, 16 KB request
   * heads, connections idle at most 5 minutes, 30 seconds to finish on shutdown, 100 PostgreSQL
   * wire connections.
   */
  public static ServerLimits defaults() {
    return new ServerLimits(
        QueryLimits.none().withWallTime(Duration.ofMinutes(5)).withMaxRows(10_000_000L).withMaxResultBytes(1L << 30),
        8, 64, Duration.ofSeconds(30), 1L << 20, 16 * 1024, Duration.ofMinutes(5), Duration.ofSeconds(30));
  }

  /**
   * {@link #defaults()} overridden by the environment: {@code NEURALAKE_SERVER_QUERY_TIMEOUT},
   * {@code _MAX_ROWS}, {@code _MAX_RESULT_BYTES}, {@code _MAX_CONCURRENT}, {@code _MAX_QUEUED},
   * {@code _QUEUE_TIMEOUT}, {@code _MAX_REQUEST_BYTES}, {@code _IDLE_TIMEOUT},
   * {@code _SHUTDOWN_GRACE}, {@code _MAX_CONNECTIONS} (each after {@code NEURALAKE_SERVER}). A bad
   * value names its variable.
   */
  public static ServerLimits fromEnvironment() {
    ServerLimits d = defaults();
    QueryLimits q = d.query();
    q = q.withWallTime(Settings.duration("NEURALAKE_SERVER_QUERY_TIMEOUT").orElse(q.wallTime().orElseThrow()));
    q = q.withMaxRows(Settings.integer("NEURALAKE_SERVER_MAX_ROWS", 1, "rows a query may return")
        .map(Integer::longValue).orElse(q.maxRows().getAsLong()));
    q = q.withMaxResultBytes(Settings.bytes("NEURALAKE_SERVER_MAX_RESULT_BYTES").orElse(q.maxResultBytes().getAsLong()));
    return new ServerLimits(q,
        Settings.integer("NEURALAKE_SERVER_MAX_CONCURRENT", 1, "queries executing at once").orElse(d.maxConcurrentQueries()),
        Settings.integer("NEURALAKE_SERVER_MAX_QUEUED", 0, "queries waiting for a turn").orElse(d.maxQueuedQueries()),
        Settings.duration("NEURALAKE_SERVER_QUEUE_TIMEOUT").orElse(d.queueTimeout()),
        Settings.bytes("NEURALAKE_SERVER_MAX_REQUEST_BYTES").orElse(d.maxRequestBytes()),
        d.maxHeaderBytes(),
        Settings.duration("NEURALAKE_SERVER_IDLE_TIMEOUT").orElse(d.idleTimeout()),
        Settings.duration("NEURALAKE_SERVER_SHUTDOWN_GRACE").orElse(d.shutdownGrace()),
        Settings.integer("NEURALAKE_SERVER_MAX_CONNECTIONS", 1, "PostgreSQL wire connections open at once")
            .orElse(d.maxConnections()));
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw invalid(name, value, "a positive number");
    }
  }

  private static NeuralakeException invalid(String name, Object value, String expected) {
    return new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "server limit " + name + " = " + value + " is not valid: give "
        + expected);
  }
}
