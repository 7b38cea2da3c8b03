package io.neuralake.server.internal;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Platform threads for the engine's work, handed over from the doors' virtual threads. A virtual
 * thread inside the engine's native code pins its carrier, and there are only as many carriers as
 * cores: two long queries from one door would stall every other virtual thread of the process
 * (other doors' requests, time-limit watchdogs). The virtual thread waits here unpinned instead.
 */
final class EngineThreads implements AutoCloseable {
  private final ExecutorService pool;

  EngineThreads(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> Thread.ofPlatform().name("neuralake-engine-" + n.incrementAndGet()).daemon(true)
        .unstarted(r);
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), factory);
    // idle threads go, so a service nobody closes (a test's) leaves none behind
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
  }

  /** {@code work}'s result, computed on a platform thread when called from a virtual one. */
  <T> T call(Supplier<T> work) {
    if (!Thread.currentThread().isVirtual()) {
      return work.get();
    }
    Future<T> f = pool.submit(work::get);
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new NeuralakeException(ErrorCode.CANCELLED, "the request was cancelled while the engine worked on it", e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
