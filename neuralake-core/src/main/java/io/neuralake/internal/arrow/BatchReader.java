package io.neuralake.internal.arrow;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An {@link ArrowReader} over batches already in memory. Each batch is loaded by reference (the
 * buffers are shared, not copied), so handing a frame's data to the engine costs nothing.
 */
public final class BatchReader extends ArrowReader {
  private final Schema schema;
  private final Iterator<VectorSchemaRoot> batches;

  public BatchReader(BufferAllocator allocator, Schema schema, List<VectorSchemaRoot> batches) {
    super(allocator);
    this.schema = schema;
    this.batches = batches.iterator();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    if (!batches.hasNext()) {
      return false;
    }
    try (ArrowRecordBatch batch = new VectorUnloader(batches.next()).getRecordBatch()) {
      loadRecordBatch(batch);
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {}

  @Override
  protected Schema readSchema() {
    return schema;
  }
}
