package io.neuralake.server.internal.flight;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.QueryService;
import io.neuralake.server.internal.ServerContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.util.TransferPair;

/** Sends a query's result to a Flight client as it is read, counted and logged by {@link QueryService}. */
final class ResultStreamer {
  static final String DOOR = "flight";

  private final ServerContext server;
  private final BufferAllocator allocator;
  private final Set<Query> running;
  /** Set when the door's shutdown grace is over: streams still sending end. */
  private final AtomicBoolean stopping;

  ResultStreamer(ServerContext server, BufferAllocator allocator, Set<Query> running, AtomicBoolean stopping) {
    this.server = server;
    this.allocator = allocator;
    this.running = running;
    this.stopping = stopping;
  }

  /**
   * Runs the SQL and sends its batches as the engine hands them over, never holding more than the
   * batch being sent: it waits while the client is not reading (at most the idle timeout), and a
   * client that cancels the call cancels the query.
   */
  void stream(Principal who, String sql, ServerStreamListener listener) {
    Query query;
    try {
      query = server.queries().prepare(who, sql);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
      return;
    }
    stream(who, sql, query, listener);
  }

  /** {@link #stream(Principal, String, ServerStreamListener)} of a query planned already; closes it. */
  void stream(Principal who, String sql, Query query, ServerStreamListener listener) {
    running.add(query);
    listener.setOnCancelHandler(query::cancel);
    // gRPC says when the client has taken what was sent: wake the sender then, rather than at its next poll
    Thread sender = Thread.currentThread();
    listener.setOnReadyHandler(() -> LockSupport.unpark(sender));
    try (query; QueryService.Result result = server.queries().open(who, DOOR, sql, query)) {
      ArrowReader reader = result.reader();
      try (VectorSchemaRoot out = VectorSchemaRoot.create(reader.getVectorSchemaRoot().getSchema(), allocator)) {
        long queued = 0; // bytes handed to gRPC since it last said it could take more
        // Copied into gRPC's buffers as each message is sent. Zero-copy sends (setUseZeroCopy) let gRPC hold
        // the batch's buffers until written, but with the Flight SQL JDBC driver, which cancels its streams on
        // close, they left the query's memory unbalanced at its close (measured: "Memory was leaked by query")
        listener.setUseZeroCopy(false);
        listener.start(out);
        while (reader.loadNextBatch()) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          int rows = batch.getRowCount();
          long bytes = bytes(batch);
          int step = sliceRows(rows, bytes);
          for (int from = 0; from < rows; from += step) {
            int count = Math.min(step, rows - from);
            if (listener.isReady()) {
              queued = 0;
            } else if (queued >= QUEUED_BYTES) {
              awaitReader(listener);
              queued = 0;
            }
            throwIfOver(listener);
            slice(batch, from, count, out);
            listener.putNext();
            queued += bytes * count / rows;
          }
          result.sent(rows, bytes);
        }
        listener.completed();
      } catch (Exception e) {
        result.failed(e);
        listener.error(FlightErrors.of(cancelledBy(listener, e)));
      }
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    } finally {
      listener.setOnReadyHandler(() -> {}); // the thread goes back to gRPC's pool: no stray wake-ups
      running.remove(query);
    }
  }

  /** Ends the stream when the client cancelled it or the server's grace for running queries is over. */
  private void throwIfOver(ServerStreamListener listener) {
    if (stopping.get()) {
      throw new NeuralakeException(ErrorCode.CANCELLED, "the server is shutting down and its grace for running"
          + " queries is over; run the query again");
    }
    if (listener.isCancelled()) {
      throw new NeuralakeException(ErrorCode.CANCELLED, "the client cancelled the query");
    }
  }

  /**
   * Waits while the client has not taken what was sent (gRPC's flow control), bounded by the idle
   * timeout. The on-ready handler unparks this thread as soon as gRPC can take more; the timed park
   * only bounds how late a shutdown or a cancel is seen.
   */
  private void awaitReader(ServerStreamListener listener) {
    Duration idle = server.limits().idleTimeout();
    long deadline = System.nanoTime() + idle.toNanos();
    while (!listener.isReady()) {
      throwIfOver(listener);
      if (System.nanoTime() - deadline > 0) {
        throw new NeuralakeException(ErrorCode.TIME_LIMIT, "the client read nothing for " + idle.toSeconds()
            + " s; the result was abandoned");
      }
      LockSupport.parkNanos(50_000_000L);
    }
  }

  /**
   * About the most bytes one message carries; the engine's batches (64 Ki rows, 9 MB for a wide
   * table) go out in slices. Arrow's Java client reads each message through a heap array into new
   * Arrow memory: a 9 MB message is a humongous heap array and an unpooled allocation whose pages
   * fault in afresh every time, where a 1 MB one can be served warm from the pools. (On the shared
   * 2-core bench machine the gain was within the noise of {@code neuralake bench server}.)
   */
  static final long MESSAGE_BYTES = 1L << 20;

  /**
   * About the most bytes handed to gRPC beyond what it says it can take. gRPC calls a stream ready
   * only when less than 32 KB waits to be written, so waiting for that before every message would
   * leave the engine idle while a message goes out and the socket idle while the engine makes the
   * next; a few messages queued keep both busy, and the memory a slow client can hold stays bounded.
   */
  static final long QUEUED_BYTES = 4 * MESSAGE_BYTES;

  /** Rows per message: the whole batch, or slices of about {@link #MESSAGE_BYTES}. */
  static int sliceRows(int rows, long bytes) {
    if (bytes <= MESSAGE_BYTES || rows <= 8) {
      return Math.max(1, rows);
    }
    long slices = (bytes + MESSAGE_BYTES - 1) / MESSAGE_BYTES;
    int step = (int) ((rows + slices - 1) / slices);
    return Math.max(8, (step + 7) / 8 * 8); // whole bytes of validity bits: sliced, not copied
  }

  /**
   * Moves rows {@code [from, from + count)} of {@code batch} into {@code out}, without copying the
   * values (slices of whole validity bytes share the buffers; variable-width offsets are rebased).
   */
  private static void slice(VectorSchemaRoot batch, int from, int count, VectorSchemaRoot out) {
    boolean whole = from == 0 && count == batch.getRowCount();
    for (int i = 0; i < batch.getFieldVectors().size(); i++) {
      TransferPair pair = batch.getVector(i).makeTransferPair(out.getVector(i));
      if (whole) {
        pair.transfer();
      } else {
        pair.splitAndTransfer(from, count);
      }
    }
    out.setRowCount(count);
  }

  private static Throwable cancelledBy(ServerStreamListener listener, Exception e) {
    return listener.isCancelled() && ErrorCode.of(e) != ErrorCode.CANCELLED
        ? new NeuralakeException(ErrorCode.CANCELLED, "the client cancelled the query", e) : e;
  }

  private static long bytes(VectorSchemaRoot root) {
    long bytes = 0;
    for (FieldVector v : root.getFieldVectors()) {
      bytes += v.getBufferSize();
    }
    return bytes;
  }
}
