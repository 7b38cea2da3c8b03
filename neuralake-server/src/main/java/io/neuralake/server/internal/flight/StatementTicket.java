package io.neuralake.server.internal.flight;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The statement handle inside a ticket from GetFlightInfo: the id under which the query planned
 * for it is held ({@link HeldQueries}), who asked, until when the ticket may be fetched, and the
 * SQL itself, so a replica that does not hold the query (or this one once it let it go) plans it
 * again as the caller. It is not signed: whatever a client writes into it, the SQL runs as the
 * caller, over what the caller may read, as if sent as a statement; a held query runs only for the
 * principal it was planned for.
 *
 * @param id the held query's id
 * @param user the name of the user it was planned for
 * @param expires when the ticket stops being good
 * @param sql the statement
 */
record StatementTicket(String id, String user, Instant expires, String sql) {
  /** Leads every handle of this kind; 0xFF never starts UTF-8 text, so it cannot be mistaken for SQL. */
  private static final byte[] MAGIC = {(byte) 0xFF, 'N', 'L', 'T', 1};

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + sql.length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      writeText(out, id);
      writeText(out, user);
      out.writeLong(expires.toEpochMilli());
      writeText(out, sql);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * The ticket in a statement handle, or empty when the handle is plain SQL (a ticket written by
   * hand, or by a version of this server that did not hold queries): that runs as a statement.
   */
  static Optional<StatementTicket> decode(byte[] handle) {
    if (handle.length < MAGIC.length || !Arrays.equals(handle, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(handle, MAGIC.length,
        handle.length - MAGIC.length))) {
      String id = readText(in, handle.length);
      String user = readText(in, handle.length);
      Instant expires = Instant.ofEpochMilli(in.readLong());
      String sql = readText(in, handle.length);
      if (in.available() > 0) {
        throw damaged();
      }
      return Optional.of(new StatementTicket(id, user, expires, sql));
    } catch (IOException e) {
      throw damaged();
    }
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readText(DataInputStream in, int most) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > most) {
      throw damaged();
    }
    byte[] b = in.readNBytes(length);
    if (b.length != length) {
      throw damaged();
    }
    return new String(b, UTF_8);
  }

  private static NeuralakeException damaged() {
    return new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the ticket is damaged (cut short or altered): use"
        + " the ticket GetFlightInfo returned, as it is");
  }
}
