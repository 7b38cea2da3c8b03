package io.neuralake.jdbc.internal;

import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code COPY ... TO STDOUT} read ahead on a thread of its own, so PostgreSQL never waits for the
 * decoder: without it, the database backend stalled whenever the socket's buffer was full while the
 * reading thread decoded a batch and handed it to the engine (measured on 2 cores: the reading
 * thread waited for the socket about half the time, and the backend was idle for as long). The
 * driver's messages (one per row) are packed into chunks of about {@link #CHUNK_BYTES}, at most
 * {@link #CHUNKS_AHEAD} waiting; a chunk is handed over early when nothing more has arrived, so a
 * slow query's first rows are not held back. Only this thread touches the connection until
 * {@link #stop} has returned.
 */
final class CopyPrefetch {
  private static final Logger LOG = LoggerFactory.getLogger(CopyPrefetch.class);
  static final int CHUNK_BYTES = 256 * 1024;
  static final int CHUNKS_AHEAD = 8;
  /** How long {@link #stop} waits for the thread to read the rest of a cancelled copy. */
  private static final long STOP_WAIT_MS = 30_000;

  /** Some of the copy's bytes: {@code bytes[0, length)}. */
  record Chunk(byte[] bytes, int length) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  private final CopyOut copy;
  private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
  private final Thread thread;
  private volatile boolean stopping;
  /** Whether the driver has passed on the copy's end (after which the connection is free). */
  private volatile boolean ended;
  private boolean taken; // the consumer has taken the end (or a failure)

  CopyPrefetch(CopyOut copy, String table) {
    this.copy = copy;
    this.thread = Thread.ofPlatform().daemon().name("neuralake-jdbc-copy-" + table).unstarted(this::run);
    thread.start();
  }

  private void run() {
    try {
      byte[] chunk = new byte[CHUNK_BYTES];
      int used = 0;
      while (true) {
        byte[] message = copy.readFromCopy(false);
        if (message == null && copy.isActive()) {
          // nothing has arrived: hand over what there is before waiting for more
          if (used > 0) {
            if (!put(new Chunk(chunk, used))) {
              break;
            }
            chunk = new byte[CHUNK_BYTES];
            used = 0;
          }
          message = copy.readFromCopy(true);
        }
        if (message == null) {
          ended = true;
          if (used > 0 && !put(new Chunk(chunk, used))) {
            break;
          }
          put(END);
          return;
        }
        if (stopping) {
          continue; // rows the server sent before the cancel reached it
        }
        if (used + message.length > chunk.length) {
          if (used > 0 && !put(new Chunk(chunk, used))) {
            break;
          }
          chunk = new byte[Math.max(CHUNK_BYTES, message.length)];
          used = 0;
        }
        System.arraycopy(message, 0, chunk, used, message.length);
        used += message.length;
      }
      drainAfterStop();
    } catch (SQLException e) {
      ended = !copy.isActive();
      if (stopping) {
        // the end of a cancelled copy: the server's "canceling statement due to user request"
        LOG.debug("a cancelled COPY ended: {}", e.getMessage());
      } else {
        put(e);
      }
    } catch (RuntimeException e) {
      ended = !copy.isActive();
      if (!stopping) {
        put(new SQLException("reading the COPY stream failed: " + e, e));
      }
    }
  }

  /** After {@link #stop}: reads the rows in flight to the copy's end, so the connection is left clean. */
  private void drainAfterStop() throws SQLException {
    while (copy.readFromCopy() != null) {
      // discarded
    }
    ended = true;
  }

  /** Queues an item, waiting for room; false (the item dropped) once the reader has stopped. */
  private boolean put(Object item) {
    try {
      while (!chunks.offer(item, 50, TimeUnit.MILLISECONDS)) {
        if (stopping) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The next chunk of the copy, waiting for it; null at the copy's end. */
  Chunk next() throws SQLException {
    if (taken) {
      return null;
    }
    Object item;
    try {
      item = chunks.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the COPY stream", e);
    }
    if (item instanceof SQLException e) {
      taken = true;
      throw e; // the driver's own (its SQLSTATE tells a cancel or a timeout from a failure)
    }
    Chunk chunk = (Chunk) item;
    if (chunk == END) {
      taken = true;
      return null;
    }
    return chunk;
  }

  /** Whether the copy has ended (the connection carries nothing more of it). */
  boolean ended() {
    return ended;
  }

  /**
   * Stops reading ahead: when the copy has not ended, {@code cancel} asks the server to stop it and
   * the thread reads what was in flight to the copy's end. Returns once the thread is done with the
   * connection (or false if it is not after {@link #STOP_WAIT_MS}: the connection is then unusable).
   */
  boolean stop(Runnable cancel) {
    stopping = true;
    chunks.clear(); // a thread waiting for room sees the stop
    if (!ended) {
      cancel.run();
    }
    try {
      thread.join(STOP_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    chunks.clear();
    return !thread.isAlive();
  }
}
