package io.neuralake.spark.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Arrow batches handed to Spark as they are: each vector wrapped as a Spark column vector
 * ({@link ArrowBufferColumnVector} for fixed widths, Spark's own {@link ArrowColumnVector} for the
 * rest), no value copied. A batch is valid until the next {@link #next}.
 * With no columns asked for (a count), batches carry only their row count.
 */
final class ArrowBatchReader implements PartitionReader<ColumnarBatch> {
  private final ArrowReader reader;
  private final boolean noColumns;
  private final AutoCloseable[] after;

  ArrowBatchReader(ArrowReader reader, boolean noColumns, AutoCloseable... after) {
    this.reader = reader;
    this.noColumns = noColumns;
    this.after = after;
  }

  /** A partition computed on the driver. */
  static ArrowBatchReader ofIpc(LocalPartition partition) {
    BufferAllocator allocator = new RootAllocator();
    ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(partition.arrowIpc()), allocator);
    return new ArrowBatchReader(reader, partition.columns() == 0, allocator);
  }

  @Override
  public boolean next() throws IOException {
    return reader.loadNextBatch();
  }

  @Override
  public ColumnarBatch get() {
    VectorSchemaRoot root;
    try {
      root = reader.getVectorSchemaRoot();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<FieldVector> vectors = noColumns ? List.of() : root.getFieldVectors();
    ColumnVector[] columns = vectors.stream().map(ArrowBufferColumnVector::of).toArray(ColumnVector[]::new);
    return new ColumnarBatch(columns, root.getRowCount());
  }

  @Override
  public void close() throws IOException {
    Exception first = null;
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      first = e;
    }
    for (AutoCloseable c : after) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof IOException io) {
      throw io;
    }
    if (first instanceof RuntimeException r) {
      throw r;
    }
    if (first != null) {
      throw new IOException(first);
    }
  }
}
