package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads frontend messages, each bounded by the server's largest request. */
final class PgIn {
  private final DataInputStream in;
  private final long maxBytes;

  PgIn(InputStream in, long maxBytes) {
    this.in = new DataInputStream(in);
    this.maxBytes = maxBytes;
  }

  /** The startup packet's body (length-prefixed, no type byte). */
  Body startup() throws IOException {
    return new Body(body(in.readInt()));
  }

  /** A typed message; {@code type} is -1 at the end of the stream. */
  Message next() throws IOException {
    int type = in.read();
    if (type < 0) {
      return null;
    }
    return new Message((char) type, new Body(body(in.readInt())));
  }

  private byte[] body(int length) throws IOException {
    if (length < 4) {
      throw malformed("a declared length of " + length + " bytes (at least 4)");
    }
    if (length > maxBytes) {
      // read past a message that is not too far over (discarding it), so the client is not cut off mid-send
      // and reads the error; a far larger one is refused at once
      if (length <= Math.min(64L << 20, 16 * maxBytes)) {
        in.skipNBytes(length - 4L);
      }
      throw new NeuralakeException(ErrorCode.REQUEST_TOO_LARGE, "a message of " + length + " bytes is larger than the"
          + " server takes (" + maxBytes + " bytes, NEURALAKE_SERVER_MAX_REQUEST_BYTES)");
    }
    byte[] b = new byte[length - 4];
    in.readFully(b);
    return b;
  }

  record Message(char type, Body body) {}

  /** A message body read front to back; reading past its end is a protocol violation. */
  static final class Body {
    private final byte[] b;
    private int pos;

    Body(byte[] b) {
      this.b = b;
    }

    int int32() {
      need(4);
      int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    int int16() {
      need(2);
      int v = (short) (((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff));
      pos += 2;
      return v;
    }

    byte byte1() {
      need(1);
      return b[pos++];
    }

    byte[] bytes(int n) {
      if (n < 0) {
        throw malformed("a negative length " + n);
      }
      need(n);
      byte[] r = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return r;
    }

    String cstring() {
      int end = pos;
      while (end < b.length && b[end] != 0) {
        end++;
      }
      if (end == b.length) {
        throw malformed("a string without its terminating zero byte");
      }
      String s = new String(b, pos, end - pos, UTF_8);
      pos = end + 1;
      return s;
    }

    boolean atEnd() {
      return pos >= b.length;
    }

    int remaining() {
      return b.length - pos;
    }

    private void need(int n) {
      if (pos + n > b.length) {
        throw malformed("fewer bytes than its fields declare");
      }
    }
  }

  static Malformed malformed(String what) {
    return new Malformed("malformed message: " + what + "; the client is not speaking PostgreSQL protocol 3.0"
        + " correctly");
  }

  /** A message that breaks the protocol's framing (SQLSTATE 08P01): the connection is closed after it. */
  static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message);
    }
  }
}
