package io.neuralake.spark.internal;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/** Readers on executors: columnar batches of Arrow vectors; rows only when Spark asks for rows. */
final class LakeReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return true;
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    return switch (partition) {
      case FilePartition files -> FileGroupReader.open(files);
      case LocalPartition local -> ArrowBatchReader.ofIpc(local);
      case RelationalPartition range -> range.open();
      default -> throw new IllegalArgumentException("not a Neuralake input partition: " + partition);
    };
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new RowReader(createColumnarReader(partition));
  }
}
