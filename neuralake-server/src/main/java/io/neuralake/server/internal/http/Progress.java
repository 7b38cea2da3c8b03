package io.neuralake.server.internal.http;

import io.neuralake.server.internal.QueryService;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The response body as encoders write it: counts the bytes that go out, and tells the query's
 * result what was sent after each batch (for the request log and the metrics).
 */
final class Progress extends FilterOutputStream {
  /** Where whole byte buffers go: the server's own response stream takes them without a copy to the heap. */
  @FunctionalInterface
  interface BufferSink {
    void write(ByteBuffer buffer) throws IOException;
  }

  private static final int COPY_CHUNK = 256 * 1024;

  /** Told what went out after each batch. */
  @FunctionalInterface
  interface Sent {
    void sent(long rows, long bytes);
  }

  private final Sent sent;
  private final BufferSink buffers;
  private byte[] chunk;
  private long bytes;
  private long reported;

  /** {@code buffers} null: buffers are copied through the heap to {@code out}. */
  Progress(OutputStream out, BufferSink buffers, QueryService.Result result) {
    this(out, buffers, result::sent);
  }

  Progress(OutputStream out, BufferSink buffers, Sent sent) {
    super(out);
    this.buffers = buffers;
    this.sent = sent;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    bytes++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    bytes += len;
  }

  /**
   * Writes the buffer's remaining bytes. Arrow's buffers live outside the heap: the server's stream
   * sends them as they are (small ones gathered into its own buffer, large ones straight to the
   * socket), which spares a copy into heap arrays and the socket write per 8 KB that
   * {@code Channels.newChannel(OutputStream)} would make.
   */
  void write(ByteBuffer buffer) throws IOException {
    int n = buffer.remaining();
    if (buffers != null) {
      buffers.write(buffer);
    } else if (buffer.hasArray()) {
      out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
      buffer.position(buffer.limit());
    } else {
      if (chunk == null) {
        chunk = new byte[Math.min(COPY_CHUNK, Math.max(n, 8192))];
      }
      while (buffer.hasRemaining()) {
        int len = Math.min(chunk.length, buffer.remaining());
        buffer.get(chunk, 0, len);
        out.write(chunk, 0, len);
      }
    }
    bytes += n;
  }

  /** A batch of {@code rows} was written: report it with the bytes written since the last one. */
  void batch(long rows) {
    sent.sent(rows, bytes - reported);
    reported = bytes;
  }

  /** The bytes written after the last batch (a format's footer). */
  void finish() {
    batch(0);
  }

  /**
   * Does not flush the response: the server sends when its buffer fills and at the end, so a
   * result that fails within its first buffer still gets a proper error status.
   */
  @Override
  public void flush() {}

  /** Leaves the response's stream open: it is the server's to complete. */
  @Override
  public void close() {}
}
