package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.delta.internal.write.DeltaMaintenance;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Frame;
import java.util.List;

/**
 * A replacement of the rows of some partitions by a frame's rows, atomically (a backfill):
 * {@code table.overwrite(frame).where(Filter.eq("region", "eu")).commit()}. Nothing is written
 * before {@link #commit()}.
 */
public final class OverwriteOperation extends DeltaOperation<OverwriteOperation> {
  private final Frame data;
  private List<Filter> partitions = List.of();
  private WriteOptions options = WriteOptions.defaults();

  OverwriteOperation(DeltaTable table, Frame data) {
    super(table);
    this.data = requireNonNull(data, "data");
  }

  /**
   * The partitions to replace: filters on partition columns, all of which a row must match. Every
   * new row must match them too. Without filters, the whole table is replaced.
   */
  public OverwriteOperation where(Filter... partitionFilter) {
    return where(List.of(partitionFilter));
  }

  /** {@link #where(Filter...)} with a list. */
  public OverwriteOperation where(List<Filter> partitionFilter) {
    this.partitions = List.copyOf(partitionFilter);
    return this;
  }

  /** File size, commit attempts (default {@link WriteOptions#defaults()}). */
  public OverwriteOperation options(WriteOptions options) {
    this.options = requireNonNull(options, "options");
    return this;
  }

  /** Removes the old files and adds the new ones in one commit: durable and visible when this returns. */
  public CommitResult commit() {
    return DeltaMaintenance.overwrite(table, context(), partitions, data, options, progress());
  }
}
