package io.neuralake.spark.internal;

import io.neuralake.delta.AppendTask;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;

/** Sent to executors: each task's writer loads the catalog there and writes its rows through {@link AppendTask}. */
record DeltaWriterFactory(TableRef ref, AppendTask task) implements DataWriterFactory {
  private static final long serialVersionUID = 1L;

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
    return new DeltaDataWriter(ref, task);
  }
}
