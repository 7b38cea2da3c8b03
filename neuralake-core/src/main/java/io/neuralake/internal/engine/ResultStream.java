package io.neuralake.internal.engine;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.EngineOptions;
import io.neuralake.engine.QueryException;
import io.neuralake.query.QueryLimits;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBResultSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution's result, streamed: the engine produces rows as the reader asks for them (DuckDB's JDBC
 * streaming results, set on the engine's connection), so a result larger than memory flows through and rows
 * nobody reads are never computed. The first batch is read when the query starts, so a query that fails at once
 * fails when it is opened; a row limit is given to the engine as a {@code LIMIT}. Enforces the execution's
 * limits; a cancel interrupts the engine and fails the next batch.
 */
public final class ResultStream extends ArrowReader {
  private static final Logger LOG = LoggerFactory.getLogger(ResultStream.class);
  static final int BATCH_ROWS = 64 * 1024;

  private final Session session;
  private final QueryLimits limits;
  private final BufferAllocator allocator;
  private final boolean ownsAllocator;
  /** The statement running the query: replaced once when a failed query runs again for its message. */
  private volatile Statement statement;

  /** Why the execution was stopped from outside: CANCELLED or TIME_LIMIT; null while it may run. */
  private final AtomicReference<ErrorCode> stopped = new AtomicReference<>();
  private final Thread timer;
  private DuckDBResultSet results;
  private ArrowReader source;
  /** Whether the first batch, read when the query starts, is still to be handed out. */
  private FirstBatch firstBatch = FirstBatch.READ;

  private enum FirstBatch { PENDING, NONE, READ }
  private long rows;
  private volatile boolean closed;

  private ResultStream(Session session, QueryLimits limits, BufferAllocator allocator, boolean ownsAllocator)
      throws SQLException {
    super(allocator);
    this.session = session;
    this.limits = limits;
    this.allocator = allocator;
    this.ownsAllocator = ownsAllocator;
    this.statement = session.connection().createStatement();
    this.timer = limits.wallTime().map(this::startTimer).orElse(null);
  }

  /**
   * Starts a query. {@code registered} sees the stream before the engine starts, so a cancel from
   * another thread reaches a query still being executed; the allocator, if owned, closes with it.
   */
  static ResultStream start(Session session, String sql, QueryLimits limits, BufferAllocator allocator,
      boolean ownsAllocator, java.util.function.Consumer<ResultStream> registered) {
    ResultStream stream;
    try {
      stream = new ResultStream(session, limits, allocator, ownsAllocator);
    } catch (SQLException e) {
      if (ownsAllocator) {
        allocator.close();
      }
      throw session.failure(e);
    }
    registered.accept(stream);
    try {
      stream.execute(sql);
      return stream;
    } catch (RuntimeException e) {
      stream.closeQuietly();
      throw e;
    }
  }

  private void execute(String sql) {
    try {
      throwIfStopped();
      // one row past the limit tells a result over it from one exactly at it, and the engine stops there
      String limited = limits.maxRows().isEmpty() ? sql
          : "SELECT * FROM (" + sql + ") LIMIT " + (limits.maxRows().getAsLong() + 1);
      results = executeStreamed(limited);
      source = (ArrowReader) results.arrowExportStream(allocator, BATCH_ROWS);
      // results are streamed (the engine produces rows as they are read): the first batch is read here, so a query
      // that fails at once (a bad cast, a missing file) fails when it is opened, as a materialized one did
      firstBatch = source.loadNextBatch() ? FirstBatch.PENDING : FirstBatch.NONE;
      throwIfStopped();
    } catch (SQLException | IOException | RuntimeException e) {
      throw translate(e);
    }
  }

  /** Runs the query with its result streamed; a failure that lost its message runs again for it (cancellable). */
  private DuckDBResultSet executeStreamed(String sql) throws SQLException {
    try {
      return (DuckDBResultSet) statement.executeQuery(sql);
    } catch (SQLException lost) {
      if (!StreamedResults.lostMessage(lost) || stopped.get() != null) {
        throw lost;
      }
      Statement failed = statement;
      statement = session.connection().createStatement();
      failed.close();
      throw StreamedResults.withEngineMessage(statement, sql, lost);
    }
  }

  /** Stops the execution (from any thread): the engine's work is interrupted and reading fails with {@code why}. */
  void stop(ErrorCode why) {
    if (!stopped.compareAndSet(null, why)) {
      return;
    }
    try {
      // interrupts the engine, whether it is executing the query or producing the next batch of its streamed result
      statement.cancel();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("cancelling a statement: {}", e.toString());
    }
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    throwIfStopped();
    boolean more;
    if (firstBatch != FirstBatch.READ) {
      more = firstBatch == FirstBatch.PENDING;
      firstBatch = FirstBatch.READ;
    } else {
      try {
        more = source.loadNextBatch();
      } catch (IOException | RuntimeException e) {
        throw translate(e);
      }
    }
    throwIfStopped();
    if (!more) {
      return false;
    }
    VectorSchemaRoot batch = source.getVectorSchemaRoot();
    rows += batch.getRowCount();
    if (limits.maxRows().isPresent() && rows > limits.maxRows().getAsLong()) {
      throw new NeuralakeException(ErrorCode.ROW_LIMIT, "the query's result has more than " + limits.maxRows().getAsLong()
          + " rows, its row limit (QueryLimits.maxRows); add a LIMIT to the query to take the first rows, or raise the"
          + " limit with QueryLimits.withMaxRows");
    }
    // checked once a batch has arrived whole: an allocator limit would fail inside the engine's
    // export, which then leaks the half-imported batch
    if (limits.maxResultBytes().isPresent() && allocator.getAllocatedMemory() > limits.maxResultBytes().getAsLong()) {
      throw memoryLimit(null);
    }
    ensureInitialized();
    // the batch's buffers are shared by reference (counted), not copied
    try (ArrowRecordBatch record = new VectorUnloader(batch).getRecordBatch()) {
      loadRecordBatch(record);
    }
    return true;
  }

  /** Rows delivered so far. */
  public long rows() {
    return rows;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected Schema readSchema() throws IOException {
    return source.getVectorSchemaRoot().getSchema();
  }

  /** Whether the reader was closed (the execution is over). */
  boolean isClosed() {
    return closed;
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (timer != null) {
      timer.interrupt();
    }
    try {
      if (source != null) {
        source.close();
      }
      if (results != null) {
        results.close();
      }
      statement.close();
    } catch (SQLException e) {
      throw new IOException("closing the engine's result: " + e.getMessage(), e);
    } finally {
      if (ownsAllocator) {
        allocator.close();
      }
    }
  }

  void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing a result stream: {}", e.toString());
    }
  }

  private Thread startTimer(Duration limit) {
    // a virtual thread per limited execution: nothing to own or shut down, interrupted on close
    return Thread.ofVirtual().name("neuralake-query-time-limit").start(() -> {
      try {
        Thread.sleep(limit);
        stop(ErrorCode.TIME_LIMIT);
      } catch (InterruptedException e) {
        // the execution ended first
      }
    });
  }

  private void throwIfStopped() {
    ErrorCode why = stopped.get();
    if (why != null) {
      throw stoppedError(why, null);
    }
  }

  /** An engine failure as the error it means: a stop, a limit, or the engine's own message. */
  private RuntimeException translate(Exception e) {
    ErrorCode why = stopped.get();
    if (why != null) {
      return stoppedError(why, e);
    }
    if (e instanceof NeuralakeException n) {
      return n;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryException oom) {
        return memoryLimit(oom);
      }
    }
    EngineOptions options = session.engine().options();
    if (options.sandboxed() && String.valueOf(e.getMessage()).contains("Permission Error")) {
      return new NeuralakeException(ErrorCode.NOT_ALLOWED, "the sandboxed engine reads files only under "
          + options.allowedFolders() + " and reaches nothing else outside the process ("
          + QueryException.engineMessage(e) + "); a server gives it the file cache's folder and local lakes'"
          + " folders through EngineOptions.locked", e);
    }
    return session.failure(e);
  }

  private NeuralakeException stoppedError(ErrorCode why, Exception cause) {
    String message = why == ErrorCode.TIME_LIMIT
        ? "the query ran longer than its time limit of " + limits.wallTime().map(ResultStream::human).orElse("?")
            + " (QueryLimits.wallTime) and was stopped; make it read less (filter on partition columns, select fewer"
            + " columns) or raise the limit with QueryLimits.withWallTime"
        : "the query was cancelled";
    return new NeuralakeException(why, message, cause);
  }

  private NeuralakeException memoryLimit(OutOfMemoryException e) {
    return new NeuralakeException(ErrorCode.MEMORY_LIMIT, "the query's result needs more than "
        + limits.maxResultBytes().orElse(allocator.getLimit()) + " bytes of Arrow memory in the JVM at once, its"
        + " limit (QueryLimits.maxResultBytes); select fewer columns or rows, or raise the limit with"
        + " QueryLimits.withMaxResultBytes", e);
  }

  private static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
