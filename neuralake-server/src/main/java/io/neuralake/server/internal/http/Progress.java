package io.neuralake.server.internal.http;

import io.neuralake.server.internal.QueryService;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body as encoders write it: counts the bytes that go out, and tells the query's
 * result what was sent after each batch (for the request log and the metrics).
 */
final class Progress extends FilterOutputStream {
  private final QueryService.Result result;
  private long bytes;
  private long reported;

  Progress(OutputStream out, QueryService.Result result) {
    super(out);
    this.result = result;
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

  /** A batch of {@code rows} was written: report it with the bytes written since the last one. */
  void batch(long rows) {
    result.sent(rows, bytes - reported);
    reported = bytes;
  }

  /** The bytes written after the last batch (a format's footer). */
  void finish() {
    batch(0);
  }

  /** The result whose rows are written. */
  QueryService.Result result() {
    return result;
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
