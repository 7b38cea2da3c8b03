package io.neuralake.query;

import io.neuralake.types.Schema;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A planned query, ready to run: what a server holds between a client's "prepare" and its
 * "execute". Planning (which tables, partitions and files) happened when it was prepared; its
 * result schema is known without reading data; each {@link #open} runs it in the engine, which
 * keeps the result in its own memory, and hands it to the JVM as Arrow batches one at a time, so
 * a result never has to fit in the JVM.
 *
 * <pre>{@code
 * try (Query q = catalog.prepare("SELECT p_brand, count(*) AS n FROM tpch.part GROUP BY 1")) {
 *   Schema columns = q.schema();
 *   try (ArrowReader rows = q.open(QueryLimits.none().withWallTime(Duration.ofSeconds(30)))) {
 *     while (rows.loadNextBatch()) {
 *       send(rows.getVectorSchemaRoot());
 *     }
 *   }
 * }
 * }</pre>
 *
 * A query runs one execution at a time. {@link #cancel()} may be called from any thread.
 */
public interface Query extends AutoCloseable {
  /** The result's columns and types, from the engine's binder: no data is read. */
  Schema schema();

  /** The SQL the engine runs (the catalog's tables replaced by their planned scans). */
  String sql();

  /**
   * Runs the query: the engine computes the result here (a cancel from another thread interrupts
   * it), then the reader hands it over batch by batch. The reader's batches are valid until the
   * next {@code loadNextBatch}; close the reader to end the execution early. It fails with a
   * {@link io.neuralake.NeuralakeException} of code {@code CANCELLED}, {@code TIME_LIMIT},
   * {@code ROW_LIMIT} or {@code MEMORY_LIMIT} when the execution is cancelled or passes a limit.
   */
  ArrowReader open(QueryLimits limits);

  /** {@link #open(QueryLimits)} without limits. */
  default ArrowReader open() {
    return open(QueryLimits.none());
  }

  /**
   * Stops the query's work in the engine, from any thread: a running execution ends with
   * {@code CANCELLED} ({@code open}, or the reader's next {@code loadNextBatch}, fails), and later
   * {@link #open} calls fail the same way. Does nothing once the query is closed.
   */
  void cancel();

  /** Ends any running execution and releases the query's engine connection and memory. */
  @Override
  void close();
}
