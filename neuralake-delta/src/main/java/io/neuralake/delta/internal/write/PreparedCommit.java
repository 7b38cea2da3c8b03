package io.neuralake.delta.internal.write;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.internal.KernelErrors;
import io.neuralake.table.LakeContext;

/**
 * A write whose data files are written and whose commit is ready: committing is the only step
 * left, so a writer can prepare its next batch while this one waits for its turn.
 */
public final class PreparedCommit {
  private final DeltaTable table;
  private final LakeContext context;
  private final Engine engine;
  private final CommitQueue.Request request;
  private final int files;
  private final int removed;
  private final long rows;
  private final long bytes;

  PreparedCommit(DeltaTable table, LakeContext context, Engine engine, CommitQueue.Request request, int files, int removed,
      long rows, long bytes) {
    this.table = table;
    this.context = context;
    this.engine = engine;
    this.request = request;
    this.files = files;
    this.removed = removed;
    this.rows = rows;
    this.bytes = bytes;
  }

  public long rows() {
    return rows;
  }

  /** Commits (once); the written files are left for vacuum if this fails. */
  public CommitResult commit() {
    try {
      CommitQueue.Outcome outcome = DeltaWrites.commit(table, context, engine, request);
      if (outcome.result() != null) {
        // checkpoints and checksums follow the commit in the process that made it
        DeltaWrites.runHooks(context, engine, outcome.result(), table);
      }
      return new CommitResult(outcome.version(), files, removed, rows, bytes);
    } catch (ConcurrentWriteException | MaxCommitRetryLimitReachedException e) {
      throw new NeuralakeException(ErrorCode.COMMIT_CONFLICT, "table '" + table.name() + "': the commit conflicted with"
          + " another writer and could not be retried (" + e.getMessage() + "); nothing was committed", e);
    } catch (KernelException | CommitStateUnknownException e) {
      throw new NeuralakeException(KernelErrors.code(e), "table '" + table.name() + "': " + e.getMessage(), e);
    }
  }
}
