package io.neuralake.delta.internal.write;

import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.utils.CloseableIterable;
import io.neuralake.delta.internal.DeltaSnapshots;
import io.neuralake.delta.internal.DeltaRuntime;
import io.neuralake.table.LakeContext;
import io.neuralake.storage.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The commits of one table from this process: one at a time, and grouped when they can be.
 *
 * <p>Writers in one JVM never race each other for a log version (each loser would re-read the
 * log and retry): they queue here. Whoever's turn comes commits its own files together with those
 * of every writer then waiting whose commit only adds files of the same schema and partitioning,
 * in one Delta commit, so a busy table costs one put-if-absent per round rather than one per
 * writer (group commit, as databases do for their write-ahead logs). A commit carries at most one
 * application transaction id, so that Kernel's own check of that id against concurrent commits
 * stays whole; a second writer with an id waits for the next round. Writers in other processes
 * still race through put-if-absent, which remains the only guarantee between processes; those of
 * one host may take turns through a lock file ({@link HostCommitLock}), and Kernel's retries of a
 * lost race wait with jitter ({@link BackoffCommitter}).
 *
 * <p>One queue per table and {@link DeltaRuntime}, keyed by the store's identity and the path:
 * writers reaching the same path through another endpoint or principal are another table.
 */
final class CommitQueue {

  /**
   * One writer's commit: the transaction its files were written in, their actions, whether it
   * carries a transaction id, for commits that only add files, how to build the same transaction
   * on a newer snapshot known to this process (null otherwise, and never grouped), and how long to
   * wait for the host commit lock ({@link HostCommitLock}; null: commit without it).
   */
  record Request(Transaction written, List<Row> actions, boolean transactionId, LongFunction<Transaction> onNewer,
      Duration hostLockWait, CompletableFuture<Outcome> done) {
    Request(Transaction written, List<Row> actions, boolean transactionId, LongFunction<Transaction> onNewer) {
      this(written, actions, transactionId, onNewer, null);
    }

    Request(Transaction written, List<Row> actions, boolean transactionId, LongFunction<Transaction> onNewer,
        Duration hostLockWait) {
      this(written, actions, transactionId, onNewer, hostLockWait, new CompletableFuture<>());
    }

    boolean addsOnly() {
      return onNewer != null;
    }
  }

  /** A commit and how many writers' files it holds. */
  record Outcome(TransactionCommitResult result, int writers) {}

  private final String key;
  private final DeltaSnapshots snapshots;
  private final Path hostLock;
  private final ReentrantLock turn = new ReentrantLock(true);
  private final List<Request> waiting = new ArrayList<>();

  private CommitQueue(String key, DeltaSnapshots snapshots, Path hostLock) {
    this.key = key;
    this.snapshots = snapshots;
    this.hostLock = hostLock;
  }

  static CommitQueue of(LakeContext context, Location table) {
    DeltaRuntime runtime = DeltaRuntime.of(context);
    return runtime.commitQueue(DeltaRuntime.key(context, table), CommitQueue.class,
        key -> new CommitQueue(key, runtime.snapshots(), HostCommitLock.file(context, key)));
  }

  /** Commits the request, alone or with others, when its turn comes; Kernel's errors pass through. */
  Outcome commit(Engine engine, Request request) {
    synchronized (waiting) {
      waiting.add(request);
    }
    turn.lock();
    try {
      if (!request.done().isDone()) {
        commitGroup(engine, takeGroup(engine, request));
      }
    } finally {
      turn.unlock();
    }
    try {
      return request.done().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  private List<Request> takeGroup(Engine engine, Request first) {
    synchronized (waiting) {
      waiting.remove(first);
      List<Request> group = new ArrayList<>(List.of(first));
      if (!first.addsOnly()) {
        return group;
      }
      boolean transactionId = first.transactionId();
      for (Iterator<Request> it = waiting.iterator(); it.hasNext(); ) {
        Request other = it.next();
        if (other.addsOnly() && !(transactionId && other.transactionId()) && sameLayout(engine, first.written(), other.written())) {
          transactionId |= other.transactionId();
          group.add(other);
          it.remove();
        }
      }
      return group;
    }
  }

  private void commitGroup(Engine engine, List<Request> group) {
    Request primary = group.stream().filter(Request::transactionId).findFirst().orElse(group.get(0));
    try {
      Outcome outcome = new Outcome(commitOnce(engine, primary, group), group.size());
      group.forEach(r -> r.done().complete(outcome));
    } catch (ConcurrentWriteException e) {
      if (group.size() == 1) {
        primary.done().completeExceptionally(e);
        return;
      }
      // a logical conflict, found before anything was written (a replayed transaction id, say):
      // it may be one writer's alone, and must not fail the others, so each commits alone
      for (Request r : group) {
        try {
          r.done().complete(new Outcome(commitOnce(engine, r, List.of(r)), 1));
        } catch (RuntimeException alone) {
          r.done().completeExceptionally(alone);
        }
      }
    } catch (RuntimeException e) {
      // the commit may or may not have landed (Kernel says which when it knows): never retry it
      group.forEach(r -> r.done().completeExceptionally(e));
    }
  }

  /**
   * One Delta commit of the group's actions, in the primary's transaction (rebuilt on a newer
   * snapshot if one is known), holding the host commit lock if a writer of the group asked for it.
   */
  private TransactionCommitResult commitOnce(Engine engine, Request primary, List<Request> group) {
    Duration lockWait = group.stream().map(Request::hostLockWait).filter(Objects::nonNull).max(Comparator.naturalOrder())
        .orElse(null);
    if (lockWait == null) {
      return commitNow(engine, primary, group);
    }
    try (HostCommitLock held = HostCommitLock.acquire(hostLock, lockWait)) {
      // held is null when the lock was not free in time: commit anyway, racing
      return commitNow(engine, primary, group);
    }
  }

  private TransactionCommitResult commitNow(Engine engine, Request primary, List<Request> group) {
    Transaction txn = primary.written();
    Transaction fresh = primary.addsOnly() ? primary.onNewer().apply(txn.getReadTableVersion()) : null;
    if (fresh != null && sameLayout(engine, fresh, txn)) {
      // the files were written for this schema and partitioning, so they fit the newer version
      txn = fresh;
    }
    List<Row> actions = new ArrayList<>();
    group.forEach(r -> actions.addAll(r.actions()));
    TransactionCommitResult result = txn.commit(engine, CloseableIterable.inMemoryIterable(DeltaWrites.iterator(actions)));
    // before the next turn, which then builds on this version instead of losing a race to it
    result.getPostCommitSnapshot().ifPresent(s -> snapshots.committed(key, s));
    return result;
  }

  private static boolean sameLayout(Engine engine, Transaction a, Transaction b) {
    return a.getSchema(engine).equals(b.getSchema(engine)) && a.getPartitionColumns(engine).equals(b.getPartitionColumns(engine));
  }
}
