package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.delta.internal.write.DistributedWrites;
import io.neuralake.frame.Frame;
import io.neuralake.table.LakeContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's half of a {@link DistributedAppend}: writes rows as data files of the table, in the
 * schema and partitioning the append began with, and commits nothing. Serializable, so a driver
 * can send it to workers (Spark executors) that write their share of the rows in parallel.
 */
public final class AppendTask implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String tableRoot;
  private final String logicalSchema;
  private final String physicalSchema;
  private final ArrayList<String> partitionColumns;
  private final long targetFileBytes;

  AppendTask(String table, String tableRoot, String logicalSchema, String physicalSchema, List<String> partitionColumns,
      long targetFileBytes) {
    this.table = table;
    this.tableRoot = tableRoot;
    this.logicalSchema = logicalSchema;
    this.physicalSchema = physicalSchema;
    this.partitionColumns = new ArrayList<>(partitionColumns);
    this.targetFileBytes = targetFileBytes;
  }

  /**
   * Writes the frame's rows (with the table's columns, checked by its row checks) as data files
   * under the table's folder, through the context's storage. The files are invisible to readers
   * until the append's {@link DistributedAppend#commit commit} adds them.
   *
   * @param definition the table's declaration, as the worker's catalog gives it (for its checks and statistics columns)
   */
  public List<WrittenFile> write(DeltaTable definition, LakeContext context, Frame data) {
    requireNonNull(definition, "definition");
    if (!definition.name().equals(table)) {
      throw new IllegalArgumentException("this task writes table '" + table + "', not '" + definition.name() + "'");
    }
    return DistributedWrites.write(definition, requireNonNull(context, "context"), requireNonNull(data, "data"), tableRoot,
        logicalSchema, physicalSchema, partitionColumns, targetFileBytes);
  }

  /** Deletes files this task wrote that will not be committed (a failed or aborted write). */
  public void discard(LakeContext context, List<WrittenFile> files) {
    DistributedWrites.discard(table, requireNonNull(context, "context"), files);
  }

  @Override
  public String toString() {
    return "append task of table " + table + " at " + tableRoot;
  }
}
