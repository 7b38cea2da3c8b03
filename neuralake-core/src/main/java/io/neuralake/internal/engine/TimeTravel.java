package io.neuralake.internal.engine;

import static io.neuralake.internal.Messages.firstLine;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.table.ReadOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

/**
 * SQL's {@code AT (VERSION => n)} and {@code AT (TIMESTAMP => t)} on a catalog table, as the
 * engine parses them: the expression is evaluated by the engine (a literal, a cast, or something
 * like {@code now() - INTERVAL 1 HOUR}) and becomes the scan's {@link ReadOptions}. A time without
 * a zone is UTC, as everywhere in Neuralake.
 */
final class TimeTravel {
  private static final Set<String> WHOLE_NUMBERS = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
      "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT");

  private final Connection connection;
  /** SQL selecting one expression node of the parse tree as a column {@code v}. */
  private final Function<JsonNode, String> selectExpression;

  TimeTravel(Connection connection, Function<JsonNode, String> selectExpression) {
    this.connection = connection;
    this.selectExpression = selectExpression;
  }

  /** The scan reading the version (or the version current at the time) the AT clause names. */
  PlanNode.Scan apply(PlanNode.Scan scan, JsonNode at) {
    String unit = at.path("unit").asText("");
    String select = selectExpression.apply(at.path("expr"));
    String clause = "AT (" + unit + " => ...) on " + scan.qualifiedName();
    ReadOptions.Builder options = scan.options().toBuilder();
    switch (unit) {
      case "VERSION" -> {
        Object[] row = evaluate("SELECT typeof(v), CAST(v AS VARCHAR) FROM (" + select + ")", clause);
        if (row[1] == null || !WHOLE_NUMBERS.contains(String.valueOf(row[0]))) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
              clause + ": a version is a whole number such as AT (VERSION => 3); got "
              + (row[1] == null ? "NULL" : row[1] + " (" + row[0] + ")"));
        }
        long version;
        try {
          version = Long.parseLong((String) row[1]);
        } catch (NumberFormatException e) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
              clause + ": the version " + row[1] + " is out of range", e);
        }
        if (version < 0) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
              clause + ": a table version is 0 or more, got " + version);
        }
        options.version(version);
      }
      case "TIMESTAMP" -> {
        Object[] row = evaluate("SELECT CAST(v AS VARCHAR), epoch_us(CAST(v AS TIMESTAMPTZ)) FROM (" + select + ")", clause);
        if (row[1] == null) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
              clause + ": the timestamp is NULL; give a time such as"
              + " AT (TIMESTAMP => '2024-04-28 12:00:00') (UTC unless it names a zone)");
        }
        long micros = ((Number) row[1]).longValue();
        options.timestamp(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000));
      }
      default -> throw new NeuralakeException(ErrorCode.INVALID_SQL, clause + ": time travel is AT (VERSION => n) or"
          + " AT (TIMESTAMP => '2024-04-28 12:00:00'), not " + unit);
    }
    return new PlanNode.Scan(scan.table(), scan.qualifiedName(), scan.context(), options.build());
  }

  private Object[] evaluate(String sql, String clause) {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new Object[] {rs.getObject(1), rs.getObject(2)};
    } catch (SQLException streamed) {
      SQLException e = StreamedResults.withEngineMessage(connection, sql, streamed);
      throw new NeuralakeException(ErrorCode.INVALID_SQL, clause + ": " + firstLine(e.getMessage())
          + "; write e.g. AT (VERSION => 3) or AT (TIMESTAMP => '2024-04-28 12:00:00')", e);
    }
  }
}
