package io.neuralake.delta;

import io.neuralake.delta.internal.write.DistributedWrites;
import io.neuralake.table.LakeContext;
import io.neuralake.filter.Filter;
import java.util.Collection;
import java.util.List;

/**
 * An append whose files many workers write and whose commit one driver makes: the driver begins
 * it ({@link DeltaTable#distributedAppend}), sends {@link #task()} to the workers, gathers the
 * {@link WrittenFile}s they return and {@link #commit commits} them all at once, with the same
 * put-if-absent of the next log entry as every other writer (so it is safe beside streaming
 * writers of the same table). Nothing is visible before the commit; {@link #abort} deletes what
 * was written. Begun by {@link DeltaTable#distributedOverwrite}, the same commit also removes the
 * files of the partitions the rows replace.
 */
public final class DistributedAppend {
  private final DistributedWrites.Begun begun;

  DistributedAppend(DistributedWrites.Begun begun) {
    this.begun = begun;
  }

  static DistributedAppend begin(DeltaTable table, LakeContext context, WriteOptions options, List<Filter> replacing) {
    return new DistributedAppend(DistributedWrites.begin(table, context, options, replacing));
  }

  /** What each worker needs to write its rows: the table's location, schema and partitioning. */
  public AppendTask task() {
    return new AppendTask(begun.table().name(), begun.tableRoot(), begun.logicalSchemaJson(), begun.physicalSchemaJson(),
        begun.partitionColumns(), begun.options().targetFileBytes());
  }

  /**
   * Adds every written file in one commit: durable and visible when this returns. With no file (no
   * rows), nothing is committed and the result names the version the append began on. An overwrite
   * removes the replaced partitions' files in the same commit (with no rows, it only removes them);
   * a written file outside those partitions fails it, with the written files deleted. An overwrite
   * is not rebased: if another writer committed since it began, the commit fails.
   */
  public CommitResult commit(Collection<? extends Collection<WrittenFile>> written) {
    return DistributedWrites.commit(begun, written.stream().flatMap(Collection::stream).toList());
  }

  /** Deletes the written files: nothing of this append is committed. */
  public void abort(Collection<? extends Collection<WrittenFile>> written) {
    DistributedWrites.discard(begun.table().name(), begun.context(), written.stream().flatMap(Collection::stream).toList());
  }

  /** The table version the append began on. */
  public long readVersion() {
    return begun.readVersion();
  }

  @Override
  public String toString() {
    return "distributed " + (begun.replacing() == null ? "append to " : "overwrite of " + begun.replacing() + " in ")
        + begun.table().name() + " (read version " + readVersion() + ")";
  }
}
