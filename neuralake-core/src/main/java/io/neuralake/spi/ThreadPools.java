package io.neuralake.spi;

import io.neuralake.internal.Pools;
import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;

/** Thread pools a runtime component owns: named threads, stopped with the runtime. */
public final class ThreadPools {
  private ThreadPools() {}

  /** A pool of up to {@code threads} threads named {@code name-N}; idle threads end. */
  public static ThreadPoolExecutor named(String name, int threads, boolean daemon) {
    return Pools.named(name, threads, daemon);
  }

  /** Stops a pool: waits up to {@code grace} for its work, then interrupts it; logs what did not finish. */
  public static void stop(ThreadPoolExecutor pool, Duration grace, String what) {
    Pools.stop(pool, grace, what);
  }
}
