package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Builds backend messages (type byte, 32-bit length, body) into one buffer and writes them in
 * batches: a result's rows go out as few socket writes rather than one per row.
 */
final class PgOut {
  private final OutputStream out;
  private byte[] buf = new byte[8192];
  private int len;
  private int start = -1;

  PgOut(OutputStream out) {
    this.out = out;
  }

  PgOut begin(char type) {
    room(5);
    buf[len++] = (byte) type;
    start = len;
    len += 4;
    return this;
  }

  /** Ends the message begun last, filling in its length. */
  void end() throws IOException {
    int n = len - start;
    buf[start] = (byte) (n >>> 24);
    buf[start + 1] = (byte) (n >>> 16);
    buf[start + 2] = (byte) (n >>> 8);
    buf[start + 3] = (byte) n;
    start = -1;
    if (len > 64 * 1024) {
      flush();
    }
  }

  PgOut byte1(int b) {
    room(1);
    buf[len++] = (byte) b;
    return this;
  }

  PgOut int16(int v) {
    room(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  PgOut int32(int v) {
    room(4);
    for (int s = 24; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  PgOut bytes(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  /** A NUL-terminated string. */
  PgOut cstring(String s) {
    return bytes(s.getBytes(UTF_8)).byte1(0);
  }

  /** The bytes written so far in this buffer (what a result sent, for the logs). */
  int pending() {
    return len;
  }

  void flush() throws IOException {
    if (len > 0) {
      out.write(buf, 0, len);
      len = 0;
    }
    out.flush();
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
