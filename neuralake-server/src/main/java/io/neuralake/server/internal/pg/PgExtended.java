package io.neuralake.server.internal.pg;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The extended query protocol: Parse, Bind, Describe, Execute, Close, Sync and Flush over named and
 * unnamed statements and portals. After an error, messages are skipped until Sync, as PostgreSQL does.
 */
final class PgExtended {
  /** A parsed statement: its SQL and the parameter types the client declared (0: unspecified). */
  record Statement(String sql, SqlText text, List<Integer> types) {}

  /** A bound statement; {@code open} holds a result suspended by an Execute row limit. */
  static final class Portal {
    final Statement statement;
    final String sql;
    final List<Integer> formats;
    PgResultWriter open;

    Portal(Statement statement, String sql, List<Integer> formats) {
      this.statement = statement;
      this.sql = sql;
      this.formats = formats;
    }

    void close() {
      if (open != null) {
        open.close();
        open = null;
      }
    }
  }

  private final PgConnection conn;
  private boolean skipping;

  PgExtended(PgConnection conn) {
    this.conn = conn;
  }

  void reset() {
    skipping = false;
    conn.closePortals();
  }

  void handle(PgIn.Message m) throws IOException {
    if (m.type() == 'S') {
      skipping = false;
      if (conn.session().status() == 'I') {
        conn.closePortals(); // the implicit transaction ends: results left open give back their turn
      }
      conn.ready();
      return;
    }
    if (skipping) {
      return;
    }
    try {
      switch (m.type()) {
        case 'P' -> parse(m.body());
        case 'B' -> bind(m.body());
        case 'D' -> describe(m.body());
        case 'E' -> execute(m.body());
        case 'C' -> close(m.body());
        default -> { } // Flush: the connection flushes after every message
      }
    } catch (PgIn.Malformed e) {
      throw e;
    } catch (RuntimeException e) {
      conn.error(e);
      skipping = true;
    }
  }

  private void parse(PgIn.Body b) throws IOException {
    String name = b.cstring();
    String sql = b.cstring();
    int n = b.int16();
    if (n < 0) {
      throw PgIn.malformed("a negative parameter type count");
    }
    List<Integer> types = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      types.add(b.int32());
    }
    conn.session().checkNotFailed(sql);
    conn.statements().put(name, new Statement(sql, new SqlText(sql), List.copyOf(types)));
    conn.out().begin('1').end();
  }

  private void bind(PgIn.Body b) throws IOException {
    String portal = b.cstring();
    String name = b.cstring();
    Statement st = statement(name);
    conn.session().checkNotFailed(st.sql());
    List<Integer> formats = int16s(b);
    int n = b.int16();
    if (n < 0) {
      throw PgIn.malformed("a negative parameter count");
    }
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = b.int32();
      values.add(len == -1 ? null : b.bytes(len));
    }
    List<Integer> resultFormats = int16s(b);
    String sql = st.text().parameterCount() == 0 && values.isEmpty() ? st.sql()
        : PgParameters.bind(st.text(), st.types(), values, formats);
    Portal old = conn.portals().put(portal, new Portal(st, sql, resultFormats));
    if (old != null) {
      old.close();
    }
    conn.out().begin('2').end();
  }

  private static List<Integer> int16s(PgIn.Body b) {
    int n = b.int16();
    if (n < 0) {
      throw PgIn.malformed("a negative format count");
    }
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int f = b.int16();
      if (f != 0 && f != 1) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "format code " + f + " is not one: give 0 (text) or 1"
            + " (binary)");
      }
      r.add(f);
    }
    return r;
  }

  private Statement statement(String name) {
    Statement st = conn.statements().get(name);
    if (st == null) {
      throw new NeuralakeException(ErrorCode.OBJECT_NOT_FOUND, "prepared statement \"" + name + "\" does not exist:"
          + " Parse it first");
    }
    return st;
  }

  private Portal portal(String name) {
    Portal p = conn.portals().get(name);
    if (p == null) {
      throw new NeuralakeException(ErrorCode.OBJECT_NOT_FOUND, "portal \"" + name + "\" does not exist: Bind it first");
    }
    return p;
  }

  private void describe(PgIn.Body b) throws IOException {
    char kind = (char) b.byte1();
    String name = b.cstring();
    if (kind == 'S') {
      Statement st = statement(name);
      conn.session().checkNotFailed(st.sql());
      int count = st.text().parameterCount();
      if (count > 65_535) {
        throw new NeuralakeException(ErrorCode.INVALID_SQL, "a statement takes at most 65535 parameters");
      }
      List<byte[]> nulls = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        nulls.add(null);
        int t = i < st.types().size() ? st.types().get(i) : 0;
        types.add(t == 0 ? PgType.TEXT.oid : t);
      }
      String sql = count == 0 ? st.sql() : PgParameters.bind(st.text(), st.types(), nulls, List.of());
      conn.out().begin('t').int16(count);
      types.forEach(conn.out()::int32);
      conn.out().end();
      rowDescription(sql, st.sql(), List.of());
    } else if (kind == 'P') {
      Portal p = portal(name);
      conn.session().checkNotFailed(p.sql);
      rowDescription(p.sql, p.statement.sql(), p.formats);
    } else {
      throw PgIn.malformed("Describe of '" + kind + "' (give S or P)");
    }
  }

  /** RowDescription of what the SQL returns (planned, nothing read), or NoData. */
  private void rowDescription(String sql, String written, List<Integer> formats) throws IOException {
    if (PgSession.isEmpty(sql)) {
      conn.out().begin('n').end();
      return;
    }
    if (isSessionStatement(sql)) {
      if (sql.strip().regionMatches(true, 0, "SHOW", 0, 4)) {
        PgResultWriter.rowDescription(conn.out(), List.of(sql.strip().substring(4).strip().replace(";", "")),
            List.of(PgType.TEXT), List.of(-1), List.of());
      } else {
        conn.out().begin('n').end();
      }
      return;
    }
    try (Query q = conn.prepare(sql)) {
      conn.describe(q, written, formats);
    }
  }

  private static boolean isSessionStatement(String sql) {
    String first = sql.strip().split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT).replace(";", "");
    return List.of("SET", "SHOW", "RESET", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "DISCARD",
        "SAVEPOINT", "RELEASE")
        .contains(first);
  }

  private void execute(PgIn.Body b) throws IOException {
    Portal p = portal(b.cstring());
    int maxRows = b.int32();
    if (p.open != null) {
      p.open = conn.resume(p.open, maxRows);
    } else {
      p.open = conn.execute(p.sql, p.statement.sql(), p.formats, maxRows, false);
    }
  }

  private void close(PgIn.Body b) throws IOException {
    char kind = (char) b.byte1();
    String name = b.cstring();
    if (kind == 'S') {
      conn.statements().remove(name);
    } else if (kind == 'P') {
      Optional.ofNullable(conn.portals().remove(name)).ifPresent(Portal::close);
    } else {
      throw PgIn.malformed("Close of '" + kind + "' (give S or P)");
    }
    conn.out().begin('3').end();
  }

}
