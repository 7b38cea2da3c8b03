package io.neuralake.server.internal;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A result read ahead ({@link ReadAhead}) as an {@link ArrowReader}, for code that reads batch by
 * batch (the HTTP door's encoders). Closing it stops the reading; the source stays its owner's to close.
 */
public final class ReadAheadReader extends ArrowReader {
  private final Schema schema;
  private final ReadAhead ahead;

  public ReadAheadReader(ArrowReader source, BufferAllocator allocator, Runnable cancel) throws IOException {
    super(allocator);
    this.schema = source.getVectorSchemaRoot().getSchema(); // initializes the source here, before its reader starts
    this.ahead = new ReadAhead(source, allocator, cancel);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    VectorSchemaRoot next = ahead.next();
    if (next == null) {
      return false;
    }
    ensureInitialized();
    // the batch's buffers are shared by reference (counted), not copied
    try (next; ArrowRecordBatch batch = new VectorUnloader(next).getRecordBatch()) {
      loadRecordBatch(batch);
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }

  @Override
  protected void closeReadSource() {
    ahead.close();
  }
}
