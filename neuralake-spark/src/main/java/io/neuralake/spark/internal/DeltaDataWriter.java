package io.neuralake.spark.internal;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.AppendTask;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.WrittenFile;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.spi.ArrowVectors;
import io.neuralake.table.LakeContext;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.execution.arrow.ArrowWriter;

/**
 * One task's rows written as data files of a Delta table: rows go into Arrow batches (Spark's own
 * Arrow writer, in the table's Arrow schema), and every {@link #FLUSH_ROWS} rows, or
 * {@link #FLUSH_BYTES} of them, the batches are written as Parquet files by Neuralake's writer, so
 * a task's memory stays bounded whatever its size. The files are reported to the driver, which
 * commits them; if the task fails they are deleted.
 */
final class DeltaDataWriter implements DataWriter<InternalRow> {
  static final int BATCH_ROWS = 8192;
  static final long FLUSH_ROWS = 1 << 20;
  static final long FLUSH_BYTES = 128L << 20;

  private final TableRef ref;
  private final AppendTask task;
  private final DeltaTable table;
  private final LakeContext context;
  private final Schema schema;
  private final org.apache.arrow.vector.types.pojo.Schema arrowSchema;
  private final RootAllocator root = new RootAllocator();
  private final List<WrittenFile> written = new ArrayList<>();
  private BufferAllocator allocator;
  private List<VectorSchemaRoot> batches = new ArrayList<>();
  private VectorSchemaRoot batch;
  private ArrowWriter writer;
  private int rowsInBatch;
  private long bufferedRows;
  private long bufferedBytes;

  DeltaDataWriter(TableRef ref, AppendTask task) {
    this.ref = ref;
    this.task = task;
    Catalog catalog = ref.catalog();
    this.context = catalog.context();
    this.table = (DeltaTable) ref.definition();
    this.schema = table.schema(context);
    this.arrowSchema = ArrowVectors.schema(schema);
  }

  @Override
  public void write(InternalRow row) {
    if (writer == null) {
      if (allocator == null) {
        allocator = root.newChildAllocator("neuralake-spark-write", 0, Long.MAX_VALUE);
      }
      batch = VectorSchemaRoot.create(arrowSchema, allocator);
      writer = ArrowWriter.create(batch);
    }
    writer.write(row);
    bufferedRows++;
    if (++rowsInBatch == BATCH_ROWS) {
      endBatch();
    }
    if (bufferedRows >= FLUSH_ROWS || bufferedBytes >= FLUSH_BYTES) {
      flush();
    }
  }

  /** Closes the batch being filled; the next row starts another. */
  private void endBatch() {
    if (writer == null) {
      return;
    }
    writer.finish();
    bufferedBytes += writer.sizeInBytes();
    batches.add(batch);
    writer = null;
    batch = null;
    rowsInBatch = 0;
  }

  /** Writes the buffered rows as data files and frees their memory. */
  private void flush() {
    endBatch();
    if (batches.isEmpty()) {
      return;
    }
    // the frame takes the batches and their allocator, and frees both when closed
    try (DataFrame data = DataFrame.ofArrow(schema, batches, allocator)) {
      written.addAll(task.write(table, context, Frame.of(data)));
    } finally {
      batches = new ArrayList<>();
      allocator = null;
      bufferedRows = 0;
      bufferedBytes = 0;
    }
  }

  @Override
  public WriterCommitMessage commit() {
    flush();
    return new DeltaBatchWrite.DeltaCommitMessage(new ArrayList<>(written));
  }

  @Override
  public void abort() {
    task.discard(context, written);
    written.clear();
  }

  @Override
  public void close() {
    if (batch != null) {
      batch.close();
    }
    batches.forEach(VectorSchemaRoot::close);
    if (allocator != null) {
      allocator.close();
    }
    root.close();
  }

  @Override
  public String toString() {
    return "writer of " + ref;
  }
}
