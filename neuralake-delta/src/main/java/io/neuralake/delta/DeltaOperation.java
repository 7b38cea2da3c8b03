package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.table.LakeContext;
import java.util.function.LongConsumer;

/**
 * What every write and maintenance operation on a {@link DeltaTable} takes besides its own
 * settings: the context to write through and a progress listener. An operation does nothing until
 * its last call ({@code commit()} or {@code run()}); it is not thread-safe and is meant to be
 * used once.
 */
public abstract sealed class DeltaOperation<O extends DeltaOperation<O>>
    permits AppendOperation, OverwriteOperation, OptimizeOperation, VacuumOperation {
  final DeltaTable table;
  private LakeContext context;
  private LongConsumer progress = files -> { };

  DeltaOperation(DeltaTable table) {
    this.table = requireNonNull(table, "table");
  }

  /**
   * The catalog's context to write through ({@code catalog.context()}: its storage, engine and
   * locations). Without it, the context of the catalog the table handle came from
   * ({@code catalog.db(..).definition(..)}), else {@link LakeContext#defaults()}.
   */
  public O context(LakeContext context) {
    this.context = requireNonNull(context, "context");
    return self();
  }

  /**
   * Told on the calling thread, as the operation goes, how many more files it has written (append,
   * overwrite), compacted (optimize) or deleted (vacuum; found deletable in a dry run).
   */
  public O progress(LongConsumer files) {
    this.progress = requireNonNull(files, "files");
    return self();
  }

  LakeContext context() {
    return context != null ? context : table.context();
  }

  LongConsumer progress() {
    return progress;
  }

  @SuppressWarnings("unchecked") // sealed: every subclass O extends DeltaOperation<O>
  private O self() {
    return (O) this;
  }
}
