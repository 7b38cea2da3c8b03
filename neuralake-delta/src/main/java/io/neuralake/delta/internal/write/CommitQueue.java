package io.neuralake.delta.internal.write;

import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.neuralake.delta.internal.DeltaRuntime;
import io.neuralake.delta.internal.DeltaSnapshots;
import io.neuralake.storage.Location;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * one host may take turns through a lock file ({@link HostCommitLock}), and then hand their plain
 * appends to whichever of them holds it, so one commit carries the files of many processes as it
 * does those of many threads ({@link CommitSpool}); Kernel's retries of a lost race wait with
 * jitter ({@link BackoffCommitter}).
 *
 * <p>One queue per table and {@link DeltaRuntime}, keyed by the store's identity and the path:
 * writers reaching the same path through another endpoint or principal are another table.
 */
final class CommitQueue {
  private static final Logger LOG = LoggerFactory.getLogger(CommitQueue.class);

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

  /**
   * A commit: its version, Kernel's result (null when another process of the host committed the
   * files, {@link CommitSpool}), how many writers of this process and how many other processes'
   * commits it holds.
   */
  record Outcome(long version, TransactionCommitResult result, int writers, int otherProcesses) {}

  /** Thrown before a put when an owner took back a request this commit carries: commit without it. */
  private static final class ClaimRevoked extends RuntimeException {
    ClaimRevoked() {
      super("a commit request carried by this commit was taken back by its writer", null, false, false);
    }
  }

  /** Thrown before a put when the committing writer's files are already in the log, in {@code version}. */
  private static final class AlreadyCommitted extends RuntimeException {
    final long version;

    AlreadyCommitted(long version) {
      super("already committed in version " + version, null, false, false);
      this.version = version;
    }
  }

  private final String key;
  private final DeltaSnapshots snapshots;
  private final Path hostLock;
  private final CommitSpool spool;
  private final ReentrantLock turn = new ReentrantLock(true);
  private final List<Request> waiting = new ArrayList<>();

  private CommitQueue(String key, DeltaSnapshots snapshots, Path hostLock) {
    this.key = key;
    this.snapshots = snapshots;
    this.hostLock = hostLock;
    this.spool = new CommitSpool(hostLock);
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
      Outcome outcome = commitOnce(engine, primary, group);
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
          r.done().complete(commitOnce(engine, r, List.of(r)));
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
   * snapshot if one is known), holding the host commit lock if a writer of the group asked for it;
   * with the lock, plain appends are handed to whichever writer of the host holds it.
   */
  private Outcome commitOnce(Engine engine, Request primary, List<Request> group) {
    Duration lockWait = group.stream().map(Request::hostLockWait).filter(Objects::nonNull).max(Comparator.naturalOrder())
        .orElse(null);
    if (lockWait == null) {
      TransactionCommitResult result = commitNow(engine, primary, group, List.of(), false);
      return new Outcome(result.getVersion(), result, group.size(), 0);
    }
    if (spoolable(group)) {
      return commitSpooled(engine, primary, group, lockWait);
    }
    try (HostCommitLock held = HostCommitLock.acquire(hostLock, lockWait)) {
      // held is null when the lock was not free in time: commit anyway, racing
      TransactionCommitResult result = commitNow(engine, primary, group, List.of(), false);
      return new Outcome(result.getVersion(), result, group.size(), 0);
    }
  }

  /**
   * Commits that another process may make for this one: plain appends of Kernel's own actions,
   * without an application transaction id (Kernel checks one id per commit against concurrent
   * commits, and only for the transaction's own writer).
   */
  private static boolean spoolable(List<Request> group) {
    return group.stream().allMatch(r -> r.addsOnly() && !r.transactionId()
        && r.actions().stream().allMatch(a -> a.getSchema().equals(SingleAction.FULL_SCHEMA)))
        && group.stream().anyMatch(r -> !r.actions().isEmpty());
  }

  /**
   * Commits at once if the host lock is free. If not, writes the group's actions as a request
   * beside the lock, then waits for the lock: if a holder committed the request meanwhile, that is
   * the outcome; if not, this writer commits it, carrying with it every request then waiting. A request claimed by a holder that then died,
   * stopped, failed, or outlasted the bound is taken back and committed here, unless its files are
   * found in the log first.
   */
  private Outcome commitSpooled(Engine engine, Request primary, List<Request> group, Duration lockWait) {
    String layout = layout(engine, primary.written());
    // a free lock: nobody to wait for, so no request to write; commit at once, with any waiting
    try (HostCommitLock held = HostCommitLock.acquire(hostLock, Duration.ZERO)) {
      if (held != null) {
        return commitHolding(engine, primary, group, layout, true, null);
      }
    }
    CommitSpool.Ticket ticket = spool.put(layout, primary.written().getReadTableVersion(), actionsOf(group));
    try {
      long deadline = System.nanoTime() + lockWait.toNanos();
      while (true) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        // a writer whose request another process committed stops waiting at once: its next
        // request then joins the next commit rather than the one after
        try (HostCommitLock held = HostCommitLock.acquire(hostLock, left, () -> spool.finished(ticket))) {
          boolean holding = held != null;
          switch (spool.state(ticket)) {
            case CommitSpool.State.Done done -> {
              return new Outcome(done.version(), null, group.size(), 0);
            }
            case CommitSpool.State.Waiting waiting -> {
              if (spool.withdraw(ticket)) {
                return commitHolding(engine, primary, group, layout, holding, null);
              }
            }
            case CommitSpool.State.Claimed claimed -> {
              if (spool.revoke(ticket, claimed.pid())) {
                // a writer process died, froze or stalled with others' commits in hand: worth seeing
                LOG.warn("table {}: process {} claimed this writer's commit and has not finished it ({}); committing it here",
                    key, claimed.pid(), holding ? "it let the host commit lock go" : "the lock was not free within " + lockWait);
                return commitHolding(engine, primary, group, layout, holding, logCheck(ticket));
              }
            }
            case CommitSpool.State.Failed failed -> {
              LOG.warn("table {}: the process that committed for this writer failed ({}); committing here unless the"
                  + " files are in the log", key, failed.message());
              return commitHolding(engine, primary, group, layout, holding, logCheck(ticket));
            }
          }
        }
        // the request changed hands between looking and acting: look again
      }
    } finally {
      spool.forget(ticket);
    }
  }

  /**
   * Commits the group, with the requests of other processes claimed now if this writer holds the
   * host lock. Before each put of a log entry, the claims must all still be held (an owner that
   * took its request back commits it itself: this commit goes again without it), and
   * {@code ownCheck}, if any, must not find this writer's files already in the log.
   */
  private Outcome commitHolding(Engine engine, Request primary, List<Request> group, String layout, boolean holding,
      BackoffCommitter.BeforePut ownCheck) {
    List<CommitSpool.Claim> claims = holding ? spool.claimWaiting(layout) : List.of();
    boolean rebuild = false;
    while (true) {
      List<CommitSpool.Claim> carried = claims;
      BackoffCommitter.BeforePut check = (e, metadata) -> {
        if (!CommitSpool.intact(carried)) {
          throw new ClaimRevoked();
        }
        if (ownCheck != null) {
          ownCheck.check(e, metadata);
        }
      };
      List<Row> others = new ArrayList<>();
      carried.forEach(c -> others.addAll(c.actions()));
      boolean fresh = rebuild;
      try {
        TransactionCommitResult result = BackoffCommitter.withCheck(check,
            () -> commitNow(engine, primary, group, others, fresh));
        spool.done(carried, result.getVersion());
        return new Outcome(result.getVersion(), result, group.size(), carried.size());
      } catch (ClaimRevoked e) {
        // at least one claim fewer each time round
        claims = CommitSpool.stillHeld(carried);
        rebuild = true; // Kernel's transaction was spent on the stopped attempt
      } catch (AlreadyCommitted e) {
        spool.release(carried);
        return new Outcome(e.version, null, group.size(), 0);
      } catch (ConcurrentWriteException | MaxCommitRetryLimitReachedException e) {
        spool.release(carried); // nothing was written: their writers commit them
        throw e;
      } catch (RuntimeException e) {
        spool.failed(carried, String.valueOf(e.getMessage()));
        throw e;
      }
    }
  }

  /**
   * The check of a writer committing a request it took back: its first file must be in none of
   * the log entries since the version it read (it would be if the claimer's commit landed).
   */
  private static BackoffCommitter.BeforePut logCheck(CommitSpool.Ticket ticket) {
    long[] next = {ticket.readVersion() + 1};
    return (engine, metadata) -> {
      OptionalLong landed = firstEntryAdding(engine, metadata.getDeltaLogDirPath(), next[0], metadata.getVersion(),
          ticket.firstAddPath());
      if (landed.isPresent()) {
        throw new AlreadyCommitted(landed.getAsLong());
      }
      next[0] = Math.max(next[0], metadata.getVersion());
    };
  }

  private static final StructType ADD_PATHS = new StructType().add("add", new StructType().add("path", StringType.STRING));

  /** The first log entry from version {@code from} up to {@code until} (exclusive) that adds the file at {@code path}. */
  static OptionalLong firstEntryAdding(Engine engine, String logDir, long from, long until, String path) {
    for (long version = from; version < until; version++) {
      FileStatus entry = FileStatus.of(FileNames.deltaFile(logDir, version));
      try (CloseableIterator<ColumnarBatch> batches = engine.getJsonHandler()
          .readJsonFiles(Utils.singletonCloseableIterator(entry), ADD_PATHS, Optional.empty())) {
        while (batches.hasNext()) {
          ColumnarBatch batch = batches.next();
          ColumnVector adds = batch.getColumnVector(0);
          ColumnVector paths = adds.getChild(0);
          for (int i = 0; i < batch.getSize(); i++) {
            if (!adds.isNullAt(i) && !paths.isNullAt(i) && paths.getString(i).equals(path)) {
              return OptionalLong.of(version);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading log entry " + entry.getPath(), e);
      }
    }
    return OptionalLong.empty();
  }

  private TransactionCommitResult commitNow(Engine engine, Request primary, List<Request> group, List<Row> others,
      boolean rebuild) {
    Transaction txn = primary.written();
    Transaction fresh = primary.addsOnly() ? primary.onNewer().apply(rebuild ? -1 : txn.getReadTableVersion()) : null;
    if (fresh != null && sameLayout(engine, fresh, txn)) {
      // the files were written for this schema and partitioning, so they fit the newer version
      txn = fresh;
    }
    List<Row> actions = actionsOf(group);
    actions.addAll(others);
    TransactionCommitResult result = txn.commit(engine, CloseableIterable.inMemoryIterable(DeltaWrites.iterator(actions)));
    // before the next turn, which then builds on this version instead of losing a race to it
    result.getPostCommitSnapshot().ifPresent(s -> snapshots.committed(key, s));
    return result;
  }

  private static List<Row> actionsOf(List<Request> group) {
    List<Row> actions = new ArrayList<>();
    group.forEach(r -> actions.addAll(r.actions()));
    return actions;
  }

  /** A fingerprint of the schema and partitioning a transaction writes files for. */
  private static String layout(Engine engine, Transaction txn) {
    return HostCommitLock.sha256(txn.getSchema(engine).toJson() + "\u0000"
        + String.join("\u0000", txn.getPartitionColumns(engine)));
  }

  private static boolean sameLayout(Engine engine, Transaction a, Transaction b) {
    return a.getSchema(engine).equals(b.getSchema(engine)) && a.getPartitionColumns(engine).equals(b.getPartitionColumns(engine));
  }
}
