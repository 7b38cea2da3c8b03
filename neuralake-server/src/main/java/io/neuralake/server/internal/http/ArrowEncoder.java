package io.neuralake.server.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;

/**
 * Rows as Arrow IPC: the stream format, or the file format (the same messages with a footer that
 * indexes them, written at the end, so it streams too).
 */
final class ArrowEncoder implements ResultEncoder {
  private final boolean file;

  ArrowEncoder(boolean file) {
    this.file = file;
  }

  @Override
  public void write(ArrowReader reader, Progress out) throws IOException {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    WritableByteChannel channel = new ProgressChannel(out);
    try (ArrowWriter w = file ? new ArrowFileWriter(root, reader, channel)
        : new ArrowStreamWriter(root, reader, channel)) {
      w.start();
      while (reader.loadNextBatch()) {
        w.writeBatch();
        out.batch(root.getRowCount());
      }
      w.end();
    }
    out.finish();
  }

  /** The response as Arrow's writers see it: each buffer goes to the response whole (see {@link Progress#write(ByteBuffer)}). */
  private record ProgressChannel(Progress out) implements WritableByteChannel {
    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      out.write(src);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {} // the response is the server's to complete
  }
}
