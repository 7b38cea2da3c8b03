package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.time.Duration;
import java.util.Optional;

/**
 * How writes behave.
 *
 * @param maxRows a streaming writer commits once this many rows are buffered
 * @param maxBytes ... or this many bytes (estimated in memory)
 * @param maxLatency ... or when the oldest buffered row has waited this long
 * @param appId an application id: commits record (appId, sequence number) so a restarted writer
 *     with the same id neither loses nor duplicates a batch (Delta {@code txn} actions)
 * @param targetFileBytes data files are split near this size
 * @param mergeSchema whether new nullable columns in the data are added to the table
 * @param maxCommitAttempts attempts when other writers commit first (each re-reads the log)
 * @param maxBufferedRows backpressure: appends wait while this many rows are not yet committed
 * @param logCompactionInterval every this many commits, a log compaction file ({@code
 *     <from>.<to>.compacted.json}) sums them up for readers (0: none)
 * @param hostCommitLock whether writers on this host take turns to commit through a lock file
 *     (next to the file cache, or in {@code NEURALAKE_COMMIT_LOCK_DIR}) instead of racing; writers
 *     on other hosts still race through put-if-absent, which stays the only guarantee
 * @param hostCommitLockWait how long a commit waits for the host lock before it commits anyway
 *     (racing): a holder that is stopped, not dead, keeps an OS file lock, so waiting is bounded
 */
public record WriteOptions(long maxRows, long maxBytes, Duration maxLatency, Optional<String> appId, long targetFileBytes,
    boolean mergeSchema, int maxCommitAttempts, long maxBufferedRows, int logCompactionInterval, boolean hostCommitLock,
    Duration hostCommitLockWait) {

  public WriteOptions {
    requireNonNull(maxLatency, "maxLatency");
    requireNonNull(appId, "appId");
    requireNonNull(hostCommitLockWait, "hostCommitLockWait");
    if (hostCommitLockWait.isNegative() || hostCommitLockWait.compareTo(Duration.ofHours(1)) > 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "write option hostCommitLockWait must be between 0 (commit at once if the lock is taken) and 1 hour; got "
          + hostCommitLockWait);
    }
    positive("maxRows", maxRows);
    positive("maxBytes", maxBytes);
    positive("targetFileBytes", targetFileBytes);
    positive("maxCommitAttempts", maxCommitAttempts);
    if (maxLatency.isNegative() || maxLatency.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "write option maxLatency must be 0 (commit every append at once) or more, and"
          + " at most " + Duration.ofNanos(Long.MAX_VALUE).toDays() + " days; got " + maxLatency);
    }
    if (maxBufferedRows < maxRows) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "write option maxBufferedRows must be at least maxRows (" + maxRows + "); got "
          + maxBufferedRows);
    }
    if (logCompactionInterval < 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "write option logCompactionInterval must be 0 (none) or more; got "
          + logCompactionInterval);
    }
  }

  private static void positive(String option, long value) {
    if (value <= 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "write option " + option + " must be positive; got " + value);
    }
  }

  public static WriteOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private long maxRows = 100_000;
    private long maxBytes = 64L << 20;
    private Duration maxLatency = Duration.ofMillis(100);
    private Optional<String> appId = Optional.empty();
    private long targetFileBytes = 128L << 20;
    private boolean mergeSchema;
    private int maxCommitAttempts = 200;
    private long maxBufferedRows = 1_000_000;
    private int logCompactionInterval;
    private boolean hostCommitLock;
    private Duration hostCommitLockWait = Duration.ofSeconds(30);

    private Builder() {}

    public Builder maxRows(long rows) {
      this.maxRows = rows;
      return this;
    }

    public Builder maxBytes(long bytes) {
      this.maxBytes = bytes;
      return this;
    }

    public Builder maxLatency(Duration latency) {
      this.maxLatency = requireNonNull(latency, "latency");
      return this;
    }

    public Builder appId(String id) {
      this.appId = Optional.of(requireNonNull(id, "id"));
      return this;
    }

    public Builder targetFileBytes(long bytes) {
      this.targetFileBytes = bytes;
      return this;
    }

    /** Add new nullable columns found in appended data to the table's schema. */
    public Builder mergeSchema(boolean merge) {
      this.mergeSchema = merge;
      return this;
    }

    public Builder maxCommitAttempts(int attempts) {
      this.maxCommitAttempts = attempts;
      return this;
    }

    public Builder maxBufferedRows(long rows) {
      this.maxBufferedRows = rows;
      return this;
    }

    /** Write a log compaction file every this many commits (0, the default: none). */
    public Builder logCompactionInterval(int commits) {
      this.logCompactionInterval = commits;
      return this;
    }

    /**
     * Take turns with the other writers of this host through a lock file instead of racing for
     * each log version (default: off). Writers on other hosts are not affected.
     */
    public Builder hostCommitLock(boolean lock) {
      this.hostCommitLock = lock;
      return this;
    }

    /**
     * How long a commit waits for the host commit lock before it commits anyway (default 30 s). A
     * holder seen stopped (Linux: its state in {@code /proc}) is not waited for at all.
     */
    public Builder hostCommitLockWait(Duration wait) {
      this.hostCommitLockWait = requireNonNull(wait, "wait");
      return this;
    }

    public WriteOptions build() {
      return new WriteOptions(maxRows, maxBytes, maxLatency, appId, targetFileBytes, mergeSchema, maxCommitAttempts,
          Math.max(maxBufferedRows, maxRows), logCompactionInterval, hostCommitLock, hostCommitLockWait);
    }
  }
}
