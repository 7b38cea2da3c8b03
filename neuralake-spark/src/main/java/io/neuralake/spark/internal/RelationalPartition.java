package io.neuralake.spark.internal;

import io.neuralake.jdbc.JdbcTable;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One range of a relational table's read, read by one Spark task with one query of its own.
 * {@code anyColumn} is read for the row count when Spark asks for no column; {@code limit} is -1
 * when there is none; {@code aggregation}, when not null, is what the task computes over the range's rows.
 */
public record RelationalPartition(TableRef ref, JdbcTable.Range range, ShippedFilters filters,
    List<OutputColumn> columns, String anyColumn, int limit, PushedAggregation aggregation) implements InputPartition {
  private static final long serialVersionUID = 1L;

  public OptionalInt rowLimit() {
    return limit < 0 ? OptionalInt.empty() : OptionalInt.of(limit);
  }

  /** The executor's read: through this JVM's copy of the table, restricted to the range. */
  ArrowBatchReader open() {
    JdbcTable table = (JdbcTable) ref.definition();
    return PartitionReads.open(ref, table.range(range), filters.toFilters(), columns, rowLimit(), anyColumn,
        aggregation);
  }
}
