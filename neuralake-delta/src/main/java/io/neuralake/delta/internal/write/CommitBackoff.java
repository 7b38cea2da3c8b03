package io.neuralake.delta.internal.write;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a writer waits after losing the race for a log version, before it reads the winners'
 * entries and tries the next version: bounded exponential with full jitter. The first loss is
 * retried at once (the writer's snapshot was merely behind: another writer committed since it
 * read); each further consecutive loss means writers are contending, and waiting a random time
 * up to a doubling bound spreads them out instead of letting them stampede the same version.
 *
 * @param base the bound after the second consecutive loss
 * @param cap the largest bound
 */
public record CommitBackoff(Duration base, Duration cap) {
  /** 5 ms, doubling up to 200 ms. */
  public static final CommitBackoff DEFAULT = new CommitBackoff(Duration.ofMillis(5), Duration.ofMillis(200));

  public CommitBackoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "commit backoff needs 0 < base <= cap; got base " + base + ", cap " + cap);
    }
  }

  /** The bound of the wait after {@code losses} consecutive lost races (0 for the first). */
  public long boundNanos(int losses) {
    if (losses <= 1) {
      return 0;
    }
    int doublings = Math.min(losses - 2, 30);
    long bound = base.toNanos() << doublings;
    return bound <= 0 || bound > cap.toNanos() ? cap.toNanos() : bound;
  }

  /** A wait after {@code losses} consecutive lost races: uniform in [0, bound] (full jitter). */
  public long delayNanos(int losses, RandomGenerator random) {
    long bound = boundNanos(losses);
    return bound == 0 ? 0 : random.nextLong(bound + 1);
  }
}
