package io.neuralake.internal.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's results are streamed (DuckDB's JDBC {@code jdbc_stream_results}, set on the engine's connection):
 * rows are produced as they are read. Driver 2.0 then reports a query that fails before its first rows only as
 * "Invalid result set", dropping the engine's message; this runs such a query once more into a temporary table,
 * whose creation is never streamed, so it fails with the message (a bad cast names the value, a damaged file its
 * path). Only failed queries pay for it.
 */
final class StreamedResults {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedResults.class);
  /** What the driver says instead of the engine's message. */
  private static final String LOST_MESSAGE = "Invalid result set";

  private StreamedResults() {}

  /** Whether {@code e} is the driver's word for a streamed query that failed without its message. */
  static boolean lostMessage(SQLException e) {
    return String.valueOf(e.getMessage()).contains(LOST_MESSAGE);
  }

  /** The failure of {@code sql} with the engine's message, from running it again with {@code statement}. */
  static SQLException withEngineMessage(Statement statement, String sql, SQLException lost) {
    String table = "neuralake_failed_" + UUID.randomUUID().toString().replace("-", "");
    try {
      statement.execute("CREATE TEMP TABLE " + table + " AS " + sql);
    } catch (SQLException withMessage) {
      return withMessage;
    }
    // it did not fail a second time (a passing failure): drop what it made and report what the driver said
    try {
      statement.execute("DROP TABLE IF EXISTS " + table);
    } catch (SQLException e) {
      LOG.debug("dropping {}: {}", table, e.toString());
    }
    return lost;
  }

  /** {@link #withEngineMessage} on a statement of its own, when {@code e} lost its message; else {@code e}. */
  static SQLException withEngineMessage(Connection connection, String sql, SQLException e) {
    if (!lostMessage(e)) {
      return e;
    }
    try (Statement s = connection.createStatement()) {
      return withEngineMessage(s, sql, e);
    } catch (SQLException closing) {
      return e;
    }
  }
}
