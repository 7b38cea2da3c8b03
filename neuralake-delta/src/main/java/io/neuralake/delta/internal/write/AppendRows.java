package io.neuralake.delta.internal.write;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.internal.DeltaTypes;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.spi.EngineSession;
import io.neuralake.spi.SqlText;
import io.neuralake.types.DataType;
import io.neuralake.types.Identifiers;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rows of an append as the table takes them, as one query: the data's columns cast to the
 * table's types in its order, missing nullable columns as nulls, and every row checked on the way
 * (required columns not null, the table's declared checks true). A row that fails stops the query
 * that reads it, whatever that query writes, so the rows are read once, by the write itself; the
 * error then names the first offending rows.
 */
final class AppendRows {
  /** In the engine's message when a row fails: tells a failed check from any other failure. */
  private static final String FAILED = "neuralake: a row fails the table's constraints";

  private final DeltaTable table;
  private final EngineSession session;
  private final String cast;
  private final List<String> required;

  private AppendRows(DeltaTable table, EngineSession session, String cast, List<String> required) {
    this.table = table;
    this.session = session;
    this.cast = cast;
    this.required = required;
  }

  /**
   * The data of {@code dataSql} for a table of columns {@code struct}. Columns the table lacks
   * are an error naming them, as is a required column the data lacks.
   */
  static AppendRows of(DeltaTable table, EngineSession session, String dataSql, StructType struct) {
    Schema data = session.describe(dataSql);
    List<String> unknown = data.names().stream().filter(n -> !struct.fieldNames().contains(n)).toList();
    if (!unknown.isEmpty()) {
      throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH,
          "table '" + table.name() + "' has no column" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + "; its columns are " + String.join(", ", struct.fieldNames())
          + " (add nullable columns with WriteOptions.mergeSchema(true))");
    }
    List<String> select = new ArrayList<>();
    for (StructField f : struct.fields()) {
      DataType type = DeltaTypes.toType(f.getDataType());
      if (data.contains(f.getName())) {
        select.add("CAST(" + Identifiers.quote(f.getName()) + " AS " + type.sqlName() + ") AS " + Identifiers.quote(f.getName()));
      } else if (f.isNullable()) {
        select.add("CAST(NULL AS " + type.sqlName() + ") AS " + Identifiers.quote(f.getName()));
      } else {
        throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH,
            "table '" + table.name() + "': the data has no column '" + f.getName()
            + "', which is required (not nullable)");
      }
    }
    List<String> required = struct.fields().stream().filter(f -> !f.isNullable()).map(StructField::getName).toList();
    return new AppendRows(table, session, "SELECT " + String.join(", ", select) + " FROM (" + dataSql + ")", required);
  }

  /** The rows, each checked: reading a row that fails a constraint fails the reading query. */
  String checked() {
    List<String> failures = new ArrayList<>();
    if (!required.isEmpty()) {
      failures.add(anyNull());
    }
    table.checks().values().forEach(check -> failures.add(failing(check)));
    if (failures.isEmpty()) {
      return cast;
    }
    String guard = failures.stream().map(f -> "WHEN " + f + " THEN error(" + SqlText.string(FAILED) + ")")
        .collect(Collectors.joining(" ", "CASE ", " ELSE TRUE END"));
    return "SELECT * FROM (" + cast + ") WHERE " + guard;
  }

  /**
   * Runs {@code write}, a statement reading {@link #checked()}: when a row fails, the error names
   * the constraint and the first offending rows instead of the engine's message.
   */
  void write(Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains(FAILED)) {
        throw e;
      }
      throw explain(e);
    }
  }

  /** The constraint that failed, found by reading the data again (the write's files are gone). */
  private NeuralakeException explain(RuntimeException failure) {
    try {
      NeuralakeException named = firstBadRows(failure);
      if (named != null) {
        return named;
      }
    } catch (RuntimeException again) {
      // a source that can be read only once (a stream): the constraint stays unnamed
      failure.addSuppressed(again);
    }
    // or the data changed between the two reads (a source read twice need not give the same rows)
    return new NeuralakeException(ErrorCode.CONSTRAINT_VIOLATED, "table '" + table.name()
        + "': a row failed the table's required columns or checks; nothing was written", failure);
  }

  private NeuralakeException firstBadRows(RuntimeException failure) {
    if (!required.isEmpty()) {
      try (DataFrame bad = session.collect("SELECT * FROM (" + cast + ") WHERE " + anyNull() + " LIMIT 5")) {
        if (bad.rowCount() > 0) {
          return new NeuralakeException(ErrorCode.NOT_NULL_VIOLATED, "table '" + table.name() + "': required columns "
              + String.join(", ", required) + " must not be null; nothing was written. First bad rows:\n" + bad, failure);
        }
      }
    }
    for (Map.Entry<String, Expr> check : table.checks().entrySet()) {
      try (DataFrame bad = session.collect("SELECT * FROM (" + cast + ") WHERE " + failing(check.getValue()) + " LIMIT 5")) {
        if (bad.rowCount() > 0) {
          return new NeuralakeException(ErrorCode.CONSTRAINT_VIOLATED,
              "table '" + table.name() + "': rows fail the check '" + check.getKey()
              + "' (" + check.getValue() + "); nothing was written. First bad rows:\n" + bad, failure);
        }
      }
    }
    return null;
  }

  private String anyNull() {
    return required.stream().map(c -> Identifiers.quote(c) + " IS NULL").collect(Collectors.joining(" OR ", "(", ")"));
  }

  private static String failing(Expr check) {
    return "(" + SqlText.expr(check) + ") IS NOT TRUE";
  }
}
