package io.neuralake.internal;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread pools of stores and caches: made by their owner (never static), so that closing the
 * owner, and with it its {@code LakeRuntime}, stops them.
 */
public final class Pools {
  private static final Logger LOG = LoggerFactory.getLogger(Pools.class);

  private Pools() {}

  /**
   * Up to {@code threads} daemon threads named {@code name-N}. Idle threads end after a second,
   * so an owner nobody closes (a store made in a test, say) holds no thread while it is unused.
   */
  public static ThreadPoolExecutor daemon(String name, int threads) {
    return named(name, threads, true);
  }

  /** As {@link #daemon}, with non-daemon threads for work the JVM must let finish (a checkpoint under way). */
  public static ThreadPoolExecutor named(String name, int threads, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(daemon);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Stops a pool: work under way gets {@code grace} to finish, then is interrupted; waits for the
   * threads to end, logging what did not finish.
   */
  public static void stop(ThreadPoolExecutor pool, Duration grace, String what) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        int dropped = pool.shutdownNow().size();
        LOG.warn("{}: {} running and {} queued tasks did not finish within {} s; interrupted", what,
            pool.getActiveCount(), dropped, grace.toSeconds());
        pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
