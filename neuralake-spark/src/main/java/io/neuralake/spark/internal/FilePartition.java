package io.neuralake.spark.internal;

import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A group of a table's planned files, read by one Spark task. {@code limit} is -1 when there is
 * none; {@code aggregation}, when not null, is what the task computes over the files' rows.
 */
public record FilePartition(TableRef ref, String kind, ShippedFiles files, ShippedFilters filters,
    List<OutputColumn> columns, int limit, PushedAggregation aggregation) implements InputPartition {
  private static final long serialVersionUID = 1L;

  public OptionalInt rowLimit() {
    return limit < 0 ? OptionalInt.empty() : OptionalInt.of(limit);
  }
}
