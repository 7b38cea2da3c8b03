package io.neuralake.spi;

import io.neuralake.filter.Filters;
import io.neuralake.frame.Expr;
import io.neuralake.internal.engine.FileScanSql;
import io.neuralake.internal.engine.NestedRenames;
import io.neuralake.internal.sql.ExprSql;
import io.neuralake.internal.sql.FilterSql;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Schema;
import java.nio.file.Path;

/** The engine's SQL for values, paths, filters, expressions and file scans, as the core writes it. */
public final class SqlText {
  private SqlText() {}

  /** A quoted string literal. */
  public static String string(String s) {
    return SqlLiterals.string(s);
  }

  /** A file path as a literal the engine reads literally (no glob expansion). */
  public static String filePath(Path file) {
    return SqlLiterals.filePath(file);
  }

  /** A literal of {@code value} cast to {@code type}. */
  public static String typed(Object value, DataType type) {
    return SqlLiterals.typed(value, type);
  }

  /** A boolean condition true for the rows {@code filters} keep ({@code table} names errors). */
  public static String filter(String table, Filters filters, Schema schema) {
    return FilterSql.render(table, filters, schema);
  }

  /** An expression. */
  public static String expr(Expr e) {
    return ExprSql.render(e);
  }

  /** A struct column whose nested fields are stored under other names, read back under the logical ones. */
  public static String nestedRename(String column, ScanPlan.NestedNames names) {
    return NestedRenames.sql(column, names);
  }

  /**
   * A SELECT over a plan's data files in {@code session} (registering what it needs there);
   * {@code local} are the files' local paths, in the plan's order, for work that reads them now.
   */
  public static String fileScan(ScanPlan.Files plan, java.util.List<Path> local, EngineSession session) {
    return FileScanSql.build(plan, local, Engines.unwrap(session));
  }
}
