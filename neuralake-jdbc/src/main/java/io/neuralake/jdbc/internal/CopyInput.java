package io.neuralake.jdbc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.SQLException;
import org.postgresql.copy.CopyOut;

/**
 * The bytes of a {@code COPY ... TO STDOUT}, read message by message from the driver: PostgreSQL
 * sends one message per row, so values are mostly read straight from the driver's array (no copy);
 * a value that spans messages is joined first. Big-endian, as the binary format is.
 */
final class CopyInput {
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final CopyOut copy;
  private byte[] buf = new byte[0];
  private int pos;
  private long base; // the stream offset of buf[0]
  private long bytes;
  private boolean ended;

  CopyInput(CopyOut copy) {
    this.copy = copy;
  }

  /** The array the next {@code n} bytes are in, from {@link #position()}; false if the copy ended first. */
  boolean ensure(int n) throws SQLException {
    while (buf.length - pos < n) {
      byte[] next = ended ? null : copy.readFromCopy();
      if (next == null) {
        ended = true;
        return false;
      }
      bytes += next.length;
      if (pos == buf.length) {
        base += buf.length;
        buf = next;
      } else {
        base += pos;
        byte[] joined = new byte[buf.length - pos + next.length];
        System.arraycopy(buf, pos, joined, 0, buf.length - pos);
        System.arraycopy(next, 0, joined, buf.length - pos, next.length);
        buf = joined;
      }
      pos = 0;
    }
    return true;
  }

  byte[] array() {
    return buf;
  }

  int position() {
    return pos;
  }

  void skip(int n) {
    pos += n;
  }

  short readShort() throws SQLException {
    need(2);
    short v = (short) SHORT.get(buf, pos);
    pos += 2;
    return v;
  }

  int readInt() throws SQLException {
    need(4);
    int v = (int) INT.get(buf, pos);
    pos += 4;
    return v;
  }

  long readLong() throws SQLException {
    need(8);
    long v = (long) LONG.get(buf, pos);
    pos += 8;
    return v;
  }

  byte readByte() throws SQLException {
    need(1);
    return buf[pos++];
  }

  void need(int n) throws SQLException {
    if (!ensure(n)) {
      throw new SQLException("the COPY stream ended in the middle of a row (" + n + " more bytes expected)");
    }
  }

  /** Whether the driver has passed on the end of the copy (after which the connection is free). */
  boolean ended() {
    return ended;
  }

  /** Reads what remains of the copy to its end (after the trailer: nothing but the end of the protocol). */
  void drain() throws SQLException {
    while (!ended) {
      byte[] next = copy.readFromCopy();
      if (next == null) {
        ended = true;
      } else {
        bytes += next.length;
      }
    }
    base += buf.length;
    buf = new byte[0];
    pos = 0;
  }

  /** How many bytes of the stream have been read so far. */
  long offset() {
    return base + pos;
  }

  long bytes() {
    return bytes;
  }
}
