package io.neuralake.internal.engine;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.frame.DataFrame;
import io.neuralake.internal.arrow.ArrowTypes;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.query.Query;
import io.neuralake.query.QueryLimits;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A plan compiled in a session of its own, which it keeps until closed (in-memory frames are
 * registered there). Executions run one at a time on that session's connection.
 */
public final class PreparedQuery implements Query {
  private final Session session;
  private final String sql;
  private final Object lock = new Object();
  private Schema schema;
  /** The current execution; volatile, for cancel() from another thread (which never takes the lock). */
  private volatile ResultStream running;
  private volatile boolean cancelled;
  private boolean closed;

  private PreparedQuery(Session session, String sql) {
    this.session = session;
    this.sql = sql;
  }

  /** Plans and compiles the query: tables are resolved and pruned now, no data is read. */
  public static PreparedQuery prepare(PlanNode plan) {
    requireNonNull(plan, "plan");
    Session session = Sessions.open(Execution.engineOf(plan));
    try {
      return new PreparedQuery(session, new SqlCompiler(session).compile(plan));
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  @Override
  public Schema schema() {
    synchronized (lock) {
      requireOpen();
      if (schema == null) {
        // a second statement on the connection would end a streaming result: ask the stream instead
        schema = running != null ? ArrowTypes.toSchema(readerSchema(running)) : session.describe(sql);
      }
      return schema;
    }
  }

  @Override
  public String sql() {
    return sql;
  }

  @Override
  public ArrowReader open(QueryLimits limits) {
    requireNonNull(limits, "limits");
    synchronized (lock) {
      requireIdle();
      // the one step between compiling and running: the scans' files become local here, never while planning
      String runnable = ScanInputs.prepare(session, sql);
      BufferAllocator allocator = session.engine().allocator().newChildAllocator("query-" + UUID.randomUUID(), 0, Long.MAX_VALUE);
      return session.stream(runnable, limits, allocator, this::started);
    }
  }

  /** {@link #open()} drained into memory: what {@code Frame.collect()} returns. */
  public DataFrame collect() {
    synchronized (lock) {
      requireIdle();
      try {
        return session.collect(ScanInputs.prepare(session, sql), this::started);
      } finally {
        running = null;
      }
    }
  }

  /**
   * Not under the lock: the thread running the query holds it while the engine executes. The
   * flag is set before the execution is read, and {@link #started} does the reverse, so a cancel
   * racing a start always reaches the execution.
   */
  @Override
  public void cancel() {
    cancelled = true;
    ResultStream r = running;
    if (r != null) {
      r.stop(ErrorCode.CANCELLED);
    }
  }

  private void started(ResultStream stream) {
    running = stream;
    if (cancelled) {
      stream.stop(ErrorCode.CANCELLED);
    }
  }

  @Override
  public void close() {
    cancel();
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (running != null) {
        running.closeQuietly();
        running = null;
      }
      session.close();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the query is closed; prepare it again to run it");
    }
  }

  /** Open, not cancelled, and without a running execution (whose reader, once closed, frees it). */
  private void requireIdle() {
    requireOpen();
    if (cancelled) {
      throw new NeuralakeException(ErrorCode.CANCELLED, "the query was cancelled; prepare it again to run it");
    }
    if (running != null && !running.isClosed()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the query is already running; close its reader before"
          + " opening it again, or prepare another query to run both at once");
    }
    running = null;
  }

  private static org.apache.arrow.vector.types.pojo.Schema readerSchema(ResultStream stream) {
    try {
      return stream.getVectorSchemaRoot().getSchema();
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.INTERNAL, "reading a running query's schema: " + e.getMessage(), e);
    }
  }
}
