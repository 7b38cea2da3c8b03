package io.neuralake.internal.engine;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts what a connection is running, including a result being streamed. DuckDB's JDBC
 * driver (2.0) interrupts only through {@code Statement.cancel()}, which does nothing once
 * {@code executeQuery} has returned and the rows stream: the engine then keeps computing the
 * next batch. Its connection has the interrupt, package-private and guarded by the connection's
 * lock, so it is reached by reflection here, in one place; if a driver version lacks it, cancelling
 * falls back to {@code Statement.cancel()} and to stopping at the next batch.
 */
final class EngineInterrupt {
  private static final Logger LOG = LoggerFactory.getLogger(EngineInterrupt.class);
  private static final Field LOCK;
  private static final Method INTERRUPT;

  static {
    Field lock = null;
    Method interrupt = null;
    try {
      lock = DuckDBConnection.class.getDeclaredField("connRefLock");
      lock.setAccessible(true);
      interrupt = DuckDBConnection.class.getDeclaredMethod("interrupt");
      interrupt.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("the DuckDB driver has no connection interrupt to reach ({}); cancelling stops at the next batch", e.toString());
      lock = null;
      interrupt = null;
    }
    LOCK = lock;
    INTERRUPT = interrupt;
  }

  private EngineInterrupt() {}

  /** Interrupts the connection's running query, if the driver allows it; never fails. */
  static void interrupt(DuckDBConnection connection) {
    if (INTERRUPT == null) {
      return;
    }
    try {
      ReentrantLock lock = (ReentrantLock) LOCK.get(connection);
      // the lock is held only briefly (never while rows are computed); do not wait on a stuck one
      if (lock.tryLock(1, TimeUnit.SECONDS)) {
        try {
          if (!connection.isClosed()) {
            INTERRUPT.invoke(connection);
          }
        } finally {
          lock.unlock();
        }
      }
    } catch (ReflectiveOperationException | java.sql.SQLException | RuntimeException e) {
      LOG.debug("interrupting an engine connection: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
