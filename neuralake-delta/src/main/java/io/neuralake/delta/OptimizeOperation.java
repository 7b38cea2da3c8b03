package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.delta.internal.write.DeltaMaintenance;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import java.util.List;

/**
 * Compaction of small files into files of the target size, with no data change:
 * {@code table.optimize().where(Filter.eq("day", d)).sortBy("ts").run()}. Runs beside writers
 * without blocking them. Nothing happens before {@link #run()}.
 */
public final class OptimizeOperation extends DeltaOperation<OptimizeOperation> {
  private List<Filter> partitions = List.of();
  private List<String> sortBy = List.of();
  private WriteOptions options = WriteOptions.defaults();

  OptimizeOperation(DeltaTable table) {
    super(table);
  }

  /** Only the partitions matching these filters (on partition columns); without filters, all. */
  public OptimizeOperation where(Filter... partitionFilter) {
    return where(List.of(partitionFilter));
  }

  /** {@link #where(Filter...)} with a list. */
  public OptimizeOperation where(List<Filter> partitionFilter) {
    this.partitions = List.copyOf(partitionFilter);
    return this;
  }

  /** Sorts rows within the new files by these columns. */
  public OptimizeOperation sortBy(String... columns) {
    return sortBy(List.of(columns));
  }

  /** {@link #sortBy(String...)} with a list. */
  public OptimizeOperation sortBy(List<String> columns) {
    this.sortBy = List.copyOf(columns);
    return this;
  }

  /** The target file size ({@link WriteOptions#targetFileBytes()}) and commit attempts. */
  public OptimizeOperation options(WriteOptions options) {
    this.options = requireNonNull(options, "options");
    return this;
  }

  /** Compacts each partition's files below half the target size, when it has two or more, in one commit. */
  public OptimizeResult run() {
    return DeltaMaintenance.optimize(table, context(), Filters.all(partitions), options, sortBy, progress());
  }
}
