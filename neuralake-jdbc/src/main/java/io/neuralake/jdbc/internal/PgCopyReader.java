package io.neuralake.jdbc.internal;

import io.neuralake.spi.ArrowVectors;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote query's rows through PostgreSQL's {@code COPY (query) TO STDOUT (FORMAT binary)}: one
 * stream of binary tuples, decoded straight into Arrow vectors, {@code batchRows} rows per batch as
 * the engine asks (no row objects, no text parsing; the driver holds one row's message, the JVM one
 * batch). Closed before the end, it cancels the copy and ends the transaction, so the connection
 * goes back to its pool usable.
 */
final class PgCopyReader extends ArrowReader {
  private static final Logger LOG = LoggerFactory.getLogger(PgCopyReader.class);
  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
  /** Cancels copies that send no first row in time (COPY has no statement timeout of the driver's). */
  private static final ScheduledExecutorService TIMER = timer();

  private final String table;
  private final Connection connection;
  private final CopyOut copy;
  private final CopyInput in;
  private final List<RemoteColumn> columns;
  private final PgBinaryColumns.Decoder[] decoders;
  private final org.apache.arrow.vector.types.pojo.Schema schema;
  private final int batchRows;
  private long batches;
  private boolean done;

  /**
   * Starts the copy on {@code connection}, which the reader then owns (closing the reader returns it),
   * and waits up to {@code queryTimeout} for its first row.
   *
   * @param select the query, parameters written in ({@link PgLiterals})
   * @param decoders one per column, none null ({@link PgBinaryColumns#decoder})
   */
  PgCopyReader(BufferAllocator allocator, String table, Connection connection, String select,
      List<RemoteColumn> columns, PgBinaryColumns.Decoder[] decoders, int batchRows, Duration queryTimeout)
      throws SQLException {
    super(allocator);
    this.table = table;
    this.connection = connection;
    this.columns = List.copyOf(columns);
    this.decoders = decoders.clone();
    this.schema = ArrowVectors.schema(ResultSetReader.schemaOf(columns));
    this.batchRows = batchRows;
    CopyOut started = null;
    try {
      connection.setAutoCommit(false); // read only, as the cursor reads: a .sql(...) query cannot write
      connection.setReadOnly(true);
      PGConnection pg = connection.unwrap(PGConnection.class);
      ScheduledFuture<?> timeout = TIMER.schedule(() -> cancel(pg), queryTimeout.toMillis(), TimeUnit.MILLISECONDS);
      try {
        started = pg.getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT (FORMAT binary)");
        this.in = new CopyInput(started);
        readHeader();
        in.ensure(2); // the first row's field count (or the trailer): the query has produced its first row
      } finally {
        timeout.cancel(false);
      }
      this.copy = started;
    } catch (SQLException | RuntimeException e) {
      release(connection, started);
      throw e;
    }
  }

  private static void cancel(PGConnection pg) {
    try {
      pg.cancelQuery();
    } catch (SQLException e) {
      LOG.warn("could not cancel a COPY past its query timeout: {}", e.getMessage());
    }
  }

  private void readHeader() throws SQLException {
    in.need(SIGNATURE.length + 8);
    if (!Arrays.equals(in.array(), in.position(), in.position() + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
      throw new SQLException("the COPY stream does not start with PostgreSQL's binary signature");
    }
    in.skip(SIGNATURE.length);
    int flags = in.readInt();
    if ((flags & 0x10000) != 0) {
      throw new SQLException("the COPY stream holds object ids, which were not asked for");
    }
    int extension = in.readInt();
    in.need(extension);
    in.skip(extension);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (done) {
      return false;
    }
    VectorSchemaRoot root = getVectorSchemaRoot();
    List<FieldVector> vectors = root.getFieldVectors();
    if (batches == 0) {
      vectors.forEach(v -> v.setInitialCapacity(batchRows));
    }
    root.allocateNew();
    FieldVector[] out = vectors.toArray(FieldVector[]::new);
    int n = 0;
    try {
      while (n < batchRows) {
        short fields = in.readShort();
        if (fields == -1) { // the trailer: the end of the rows
          in.drain();
          done = true;
          break;
        }
        if (fields != decoders.length) {
          throw new SQLException("a row has " + fields + " fields, " + decoders.length + " expected");
        }
        for (int c = 0; c < decoders.length; c++) {
          int length = in.readInt();
          if (length >= 0) {
            long at = in.offset();
            decoders[c].read(in, out[c], n, length);
            if (in.offset() - at != length) {
              throw new SQLException("column '" + columns.get(c).name() + "' (" + columns.get(c).remoteType()
                  + ") has a binary value of " + length + " bytes, not the form expected");
            }
          } // null: a new batch's validity bits are clear
        }
        n++;
      }
    } catch (SQLException e) {
      throw new IOException("table " + table + ": reading rows from the database (COPY) failed after " + batches
          + " batch(es): " + e.getMessage(), e);
    }
    root.setRowCount(n);
    batches++;
    return n > 0;
  }

  @Override
  public long bytesRead() {
    return in.bytes();
  }

  @Override
  protected void closeReadSource() {
    release(connection, in.ended() ? null : copy);
  }

  /** Cancels an unfinished copy, ends the read-only transaction and gives the connection back to its pool. */
  private static void release(Connection connection, CopyOut unfinished) {
    if (unfinished != null && unfinished.isActive()) {
      // not CopyOut.cancelCopy(): for a COPY TO it sends the cancel request but leaves the rest of the copy
      // (rows in flight, the error, ReadyForQuery) unread on the connection, where the next query would read it
      try {
        connection.unwrap(PGConnection.class).cancelQuery();
        while (unfinished.isActive() && unfinished.readFromCopy() != null) {
          // rows the server sent before the cancel reached it
        }
      } catch (SQLException e) {
        // the end of the copy: the server's "canceling statement due to user request" after ReadyForQuery (or a
        // broken connection, which fails the rollback below and so tells the pool to drop it)
        LOG.debug("cancelled a COPY: {}", e.getMessage());
      }
    }
    try {
      connection.rollback();
    } catch (SQLException e) {
      // a broken connection: closing it below lets the pool drop it
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // nothing to do: the read is over
    }
  }

  @Override
  protected org.apache.arrow.vector.types.pojo.Schema readSchema() {
    return schema;
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "neuralake-jdbc-copy-timeout");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
