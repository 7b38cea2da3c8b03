package io.neuralake.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.postgresql.core.BaseConnection;

/**
 * Which reader a relational table's read uses: PostgreSQL's binary {@code COPY} when the database is
 * PostgreSQL and every column read has a binary decoder ({@link PgCopyReader}), else the fetch-size
 * cursor ({@link ResultSetReader}), which reads every type we map. The choice is made per read, from
 * its columns and filter values; {@link #describe} says which, for {@code explain()}.
 */
public final class JdbcReaders {
  private JdbcReaders() {}

  /** How a read goes: by COPY, or by the cursor and why. */
  public static String describe(boolean copyAllowed, RemoteQuery query) {
    String reason = whyNotCopy(copyAllowed, query);
    if (reason == null && !writable(query)) {
      reason = "a filter value has no exact literal form, so it is bound as a parameter";
    }
    return reason == null ? "read by COPY ... TO STDOUT (FORMAT binary)" : "read by a fetch-size cursor (" + reason + ")";
  }

  /** Whether the parameters can be written in (as for the usual standard_conforming_strings = on). */
  private static boolean writable(RemoteQuery query) {
    try {
      return PgLiterals.inline(query.sql(), query.parameters(), true).isPresent();
    } catch (SQLException e) {
      return false;
    }
  }

  private static String whyNotCopy(boolean copyAllowed, RemoteQuery query) {
    if (!copyAllowed) {
      return "COPY turned off for the table";
    }
    // the literals COPY needs are written as PostgreSQL reads them, into SQL in PostgreSQL's dialect
    if (query.dialect() != PostgresDialect.INSTANCE) {
      return "not PostgreSQL's dialect";
    }
    for (RemoteColumn c : query.columns()) {
      if (PgBinaryColumns.decoder(c) == null) {
        return "column '" + c.name() + "' is " + c.remoteType() + ", which COPY's reader does not decode";
      }
    }
    return null;
  }

  /**
   * Runs the read on {@code connection}, which the reader then owns (closing it returns the
   * connection); on an error the connection is returned before this throws.
   */
  public static ArrowReader open(BufferAllocator allocator, String table, boolean copyAllowed,
      Connection connection, RemoteQuery query, int batchRows, Duration queryTimeout) throws SQLException {
    if (whyNotCopy(copyAllowed, query) == null) {
      Optional<String> select;
      try {
        boolean standard = connection.unwrap(BaseConnection.class).getStandardConformingStrings();
        select = PgLiterals.inline(query.sql(), query.parameters(), standard);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
      if (select.isPresent()) {
        PgBinaryColumns.Decoder[] decoders = query.columns().stream().map(PgBinaryColumns::decoder)
            .toArray(PgBinaryColumns.Decoder[]::new);
        return new PgCopyReader(allocator, table, connection, select.get(), query.columns(), decoders, batchRows,
            queryTimeout);
      }
      // a filter value without an exact literal form: bound by the cursor's statement instead
    }
    return new ResultSetReader(allocator, table, connection, query, batchRows, queryTimeout);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // the read failed already; this error says more
    }
  }
}
