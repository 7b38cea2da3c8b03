package io.neuralake.spark.internal;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * Rows computed on the driver (a function table) as Arrow IPC
 * stream bytes: one partition, a local relation. {@code columns} is how many of the stream's
 * columns Spark asked for (0 for a count: the stream then carries one column for its row count).
 */
public record LocalPartition(byte[] arrowIpc, int columns) implements InputPartition {
  private static final long serialVersionUID = 1L;
}
