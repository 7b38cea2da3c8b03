package io.neuralake.server.internal.http;

import java.io.IOException;
import java.nio.channels.Channels;
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
    try (ArrowWriter w = file ? new ArrowFileWriter(root, reader, Channels.newChannel(out))
        : new ArrowStreamWriter(root, reader, Channels.newChannel(out))) {
      w.start();
      while (reader.loadNextBatch()) {
        w.writeBatch();
        out.batch(root.getRowCount());
      }
      w.end();
    }
    out.finish();
  }
}
