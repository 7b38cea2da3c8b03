package io.neuralake.query;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one execution of a {@link Query} may use. Each limit, when reached, ends the execution with
 * a {@link io.neuralake.NeuralakeException} whose code names it; nothing is silently cut short.
 *
 * @param wallTime how long the execution may take, from {@link Query#open} until its stream is
 *     closed (a slow reader counts too); past it the engine's work is cancelled and the stream
 *     fails with {@code TIME_LIMIT}
 * @param maxRows how many rows the result may have; a result with more fails with
 *     {@code ROW_LIMIT} when the stream reaches the batch that would pass the limit (no row past
 *     the limit is delivered; the engine computes at most one row more). Add a {@code LIMIT} to
 *     the query to take the first rows instead
 * @param maxResultBytes how much Arrow memory the result may hold in the JVM at once (the batch
 *     being read, and what the caller still holds of earlier batches), checked as each batch
 *     arrives (a batch is at most 65,536 rows); past it the stream fails with
 *     {@code MEMORY_LIMIT}. The engine's own memory (joins, sorts, aggregates, and the result it
 *     holds until read) is bounded per engine, not per query, by
 *     {@link io.neuralake.engine.EngineOptions#memoryLimit()}: DuckDB has no per-query memory
 *     limit, and beyond its limit it spills to disk or fails
 */
public record QueryLimits(Optional<Duration> wallTime, OptionalLong maxRows, OptionalLong maxResultBytes) {
  private static final QueryLimits NONE = new QueryLimits(Optional.empty(), OptionalLong.empty(), OptionalLong.empty());

  public QueryLimits {
    requireNonNull(wallTime, "wallTime");
    requireNonNull(maxRows, "maxRows");
    requireNonNull(maxResultBytes, "maxResultBytes");
    wallTime.ifPresent(t -> {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("a query's wall time limit must be positive, got " + t);
      }
    });
    maxRows.ifPresent(n -> {
      if (n < 0) {
        throw new IllegalArgumentException("a query's row limit must be 0 or more, got " + n);
      }
    });
    maxResultBytes.ifPresent(n -> {
      if (n <= 0) {
        throw new IllegalArgumentException("a query's result memory limit must be positive, got " + n + " bytes");
      }
    });
  }

  /** No limits: the execution runs until it ends, is cancelled, or the engine runs out of memory. */
  public static QueryLimits none() {
    return NONE;
  }

  public QueryLimits withWallTime(Duration limit) {
    return new QueryLimits(Optional.of(limit), maxRows, maxResultBytes);
  }

  public QueryLimits withMaxRows(long limit) {
    return new QueryLimits(wallTime, OptionalLong.of(limit), maxResultBytes);
  }

  public QueryLimits withMaxResultBytes(long limit) {
    return new QueryLimits(wallTime, maxRows, OptionalLong.of(limit));
  }
}
