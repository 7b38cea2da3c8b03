package io.neuralake.delta.internal.write;

import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.commit.CommitMetadata;
import io.delta.kernel.commit.CommitResponse;
import io.delta.kernel.commit.Committer;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.commit.DefaultFileSystemManagedTableOnlyCommitter;
import io.delta.kernel.utils.CloseableIterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Kernel's file-system committer (put-if-absent of the next log entry), waiting with jitter
 * ({@link CommitBackoff}) after each lost race before it hands the loss back to Kernel.
 *
 * <p>Kernel retries a lost race itself (up to {@code withMaxRetries}), and cheaply: it lists the
 * log from its read version on, reads only the winners' entries to check them for logical
 * conflicts (a replayed transaction id, a metadata change), and tries the version after them; the
 * post-commit snapshot extends the read one. What it lacks is any wait between attempts, so
 * writers in several processes stampede each version. Waiting here, after the loss and before
 * Kernel reads the winners, keeps Kernel's checks whole and lets the rebase see every entry
 * that landed during the wait. Snapshots loaded for writing carry this committer, and Kernel
 * hands it on to the snapshot each commit produces.
 */
public final class BackoffCommitter implements Committer {
  public static final BackoffCommitter INSTANCE = new BackoffCommitter(CommitBackoff.DEFAULT);

  /** Consecutive losses of the transaction this thread is committing (by Kernel's transaction id). */
  private static final ThreadLocal<Losses> LOSSES = ThreadLocal.withInitial(Losses::new);

  private static final class Losses {
    String txnId;
    int count;
  }

  /**
   * A check run before each put of a log entry by the commit this thread is making (null: none):
   * it throws to stop the commit. Set by {@link CommitQueue} for commits that carry the files of
   * other processes, or that its owner took back from another process ({@link CommitSpool}).
   */
  private static final ThreadLocal<BeforePut> BEFORE_PUT = new ThreadLocal<>();

  /** A check before a log entry is put; throws (unchecked) to stop the commit. */
  @FunctionalInterface
  interface BeforePut {
    void check(Engine engine, CommitMetadata metadata);
  }

  private final CommitBackoff backoff;

  BackoffCommitter(CommitBackoff backoff) {
    this.backoff = backoff;
  }

  /** Runs {@code commit} with {@code check} made before each put of a log entry on this thread. */
  static <T> T withCheck(BeforePut check, java.util.function.Supplier<T> commit) {
    BeforePut previous = BEFORE_PUT.get();
    BEFORE_PUT.set(check);
    try {
      return commit.get();
    } finally {
      BEFORE_PUT.set(previous);
    }
  }

  @Override
  public CommitResponse commit(Engine engine, CloseableIterator<Row> actions, CommitMetadata metadata)
      throws CommitFailedException {
    // Kernel gives each transaction an id: a new one starts counting its losses from zero
    String txnId = metadata.getCommitInfo() == null ? "" : metadata.getCommitInfo().getTxnId().orElse("");
    Losses losses = LOSSES.get();
    if (!txnId.equals(losses.txnId)) {
      losses.txnId = txnId;
      losses.count = 0;
    }
    BeforePut check = BEFORE_PUT.get();
    if (check != null) {
      check.check(engine, metadata);
    }
    try {
      CommitResponse response = DefaultFileSystemManagedTableOnlyCommitter.INSTANCE.commit(engine, actions, metadata);
      losses.count = 0;
      return response;
    } catch (CommitFailedException e) {
      if (e.isConflict() && e.isRetryable()) {
        losses.count++;
        long wait = backoff.delayNanos(losses.count, ThreadLocalRandom.current());
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      throw e;
    }
  }
}
