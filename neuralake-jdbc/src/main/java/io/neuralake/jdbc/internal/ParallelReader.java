package io.neuralake.jdbc.internal;

import io.neuralake.NeuralakeException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batches of several range queries, read in parallel, as one stream: one worker (a virtual
 * thread) per range, each on its own pooled connection, handing its batches over a queue of at most
 * two batches per range, so memory stays bounded however fast the database is. The first error
 * stops the others and fails the stream; closing the stream, early or after a cancel, stops every
 * worker (a query still running is cancelled) and returns every connection before it returns.
 *
 * <p>A worker that cannot get a connection while others of the same read have theirs leaves its
 * range to them: two parallel reads sharing a pool then share its connections instead of each
 * waiting for connections the other holds.
 */
public final class ParallelReader extends ArrowReader {
  private static final Logger LOG = LoggerFactory.getLogger(ParallelReader.class);
  private static final Object END = new Object(); // a worker is done
  private static final Object CLOSED = new Object(); // wakes a reader waiting when the stream is closed
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final RangeSource source;
  private final org.apache.arrow.vector.types.pojo.Schema schema;
  private final BlockingQueue<Object> queue;
  private final Deque<RemoteQuery> pending; // guarded by itself
  private final int ranges;
  private int alive; // guarded by pending
  private final List<Thread> workers = new ArrayList<>();
  private final Set<Connection> querying = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopped; // by an error or by close
  private volatile boolean closed;
  private int ended; // reading thread only

  /** Starts one worker per query; {@code schema} is the Arrow schema every query returns. */
  public ParallelReader(BufferAllocator allocator, RangeSource source, List<RemoteQuery> queries,
      org.apache.arrow.vector.types.pojo.Schema schema) {
    super(allocator);
    this.source = source;
    this.schema = schema;
    this.ranges = queries.size();
    this.queue = new ArrayBlockingQueue<>(2 * ranges + 1);
    this.pending = new ArrayDeque<>(queries);
    this.alive = ranges;
    for (int i = 0; i < ranges; i++) {
      workers.add(Thread.ofVirtual().name("neuralake-jdbc-" + source.table() + "-range-" + i).unstarted(this::work));
    }
    workers.forEach(Thread::start);
  }

  private void work() {
    try {
      while (!stopped) {
        RemoteQuery query;
        synchronized (pending) {
          query = pending.poll();
          if (query == null) {
            alive--;
            return;
          }
        }
        Connection connection;
        try {
          connection = source.connect();
        } catch (RuntimeException e) {
          synchronized (pending) {
            pending.addFirst(query);
            if (alive > 1) { // another worker of this read has a connection: it reads this range too
              alive--;
              LOG.debug("table {}: a range worker got no connection, others read its range: {}", source.table(),
                  e.getMessage());
              return;
            }
            alive--;
          }
          throw e;
        }
        read(connection, query);
      }
      synchronized (pending) {
        alive--;
      }
    } catch (Throwable e) {
      if (!stopped && failure.compareAndSet(null, e)) {
        stop();
      }
    } finally {
      hand(END);
    }
  }

  /** Reads one range into the queue; its reader returns the connection when closed. */
  private void read(Connection connection, RemoteQuery query) throws IOException {
    querying.add(connection);
    ArrowReader reader;
    try {
      reader = source.open(connection, query);
    } finally {
      querying.remove(connection);
    }
    try (reader) {
      while (!stopped) {
        querying.add(connection);
        boolean more;
        try {
          more = reader.loadNextBatch();
        } finally {
          querying.remove(connection);
        }
        if (!more) {
          return;
        }
        ArrowRecordBatch batch = new VectorUnloader(reader.getVectorSchemaRoot()).getRecordBatch();
        if (!hand(batch)) {
          batch.close();
          return;
        }
      }
    }
  }

  /** Puts an item on the queue unless the stream is closed first; whether it did. */
  private boolean hand(Object item) {
    try {
      while (!closed) {
        if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Stops every worker: those waiting on the database get their query cancelled. */
  private void stop() {
    stopped = true;
    for (Connection c : querying) {
      try {
        if (c.isWrapperFor(PGConnection.class)) {
          c.unwrap(PGConnection.class).cancelQuery();
        }
      } catch (SQLException e) {
        LOG.debug("table {}: cancelling a range query failed: {}", source.table(), e.toString());
      }
    }
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    while (true) {
      Throwable e = failure.get();
      if (e != null) {
        if (e instanceof NeuralakeException n) {
          throw n;
        }
        // a reading error already names the table (ResultSetReader)
        throw e instanceof IOException io ? io
            : new IOException("table " + source.table() + ": a parallel range read failed: " + e, e);
      }
      if (ended == ranges) {
        getVectorSchemaRoot().setRowCount(0);
        return false;
      }
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IOException("table " + source.table() + ": interrupted while waiting for rows", ie);
      }
      if (item == END) {
        ended++;
      } else if (item == CLOSED) {
        return false;
      } else {
        ArrowRecordBatch batch = (ArrowRecordBatch) item;
        try {
          new VectorLoader(getVectorSchemaRoot()).load(batch);
        } finally {
          batch.close();
        }
        return true;
      }
    }
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    closed = true;
    stop();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    for (Thread w : workers) {
      try {
        if (!w.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
          LOG.warn("table {}: a range worker did not stop within {} s of the read's close; it returns its"
              + " connection when its query ends", source.table(), STOP_WAIT.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Object item; (item = queue.poll()) != null; ) {
      if (item instanceof ArrowRecordBatch b) {
        b.close();
      }
    }
    queue.offer(CLOSED);
  }

  @Override
  protected org.apache.arrow.vector.types.pojo.Schema readSchema() {
    return schema;
  }
}
