package io.neuralake.site.internal.grafana;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL of a dashboard's panels and variables, written with the macros of Grafana's PostgreSQL data source
 * ({@code $__timeFilter}, {@code $__timeGroupAlias}, {@code $__interval}) and its variables ({@code $name}), which
 * Grafana expands before it sends the query to the server's PostgreSQL door. Pure text; no I/O.
 */
public final class PanelSql {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");
  // words a plain identifier must not be, in PostgreSQL or DuckDB; quoting them keeps the panel valid in both
  private static final Set<String> RESERVED = Set.of("all", "and", "as", "asc", "between", "by", "case", "cast",
      "date", "default", "desc", "distinct", "end", "false", "from", "group", "having", "in", "interval", "is",
      "join", "limit", "not", "null", "offset", "on", "or", "order", "select", "table", "time", "timestamp", "to",
      "true", "union", "user", "using", "when", "where", "window", "with");

  /** Rows a table panel shows. */
  static final int TABLE_ROWS = 100;

  private PanelSql() {}

  /** Rows per time interval over {@code timeColumn}, in the dashboard's time range, where {@code conditions} hold. */
  public static String rowsPerInterval(String db, String table, String timeColumn, List<String> conditions) {
    String time = identifier(timeColumn);
    return "SELECT $__timeGroupAlias(" + time + ", $__interval), count(*) AS \"rows\"\n"
        + "FROM " + qualified(db, table) + "\n"
        + "WHERE " + String.join(" AND ", prepend("$__timeFilter(" + time + ")", conditions)) + "\n"
        + "GROUP BY 1\nORDER BY 1";
  }

  /** The first rows of a table without a time column, where {@code conditions} hold. */
  public static String firstRows(String db, String table, List<String> conditions) {
    return "SELECT *\nFROM " + qualified(db, table) + "\n"
        + (conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions) + "\n")
        + "LIMIT " + TABLE_ROWS;
  }

  /** A variable's values: the distinct values of a (partition) column. */
  public static String distinctValues(String db, String table, String column) {
    return "SELECT DISTINCT " + identifier(column) + " FROM " + qualified(db, table) + " ORDER BY 1";
  }

  /** The condition a multi-value variable puts on its column; Grafana quotes and joins the chosen values. */
  public static String variableCondition(String column, String variable) {
    return identifier(column) + " IN ($" + variable + ")";
  }

  /** A Grafana variable name for a column: letters, digits and underscores. */
  public static String variableName(String column) {
    String name = column.replaceAll("[^A-Za-z0-9_]", "_");
    return name.isEmpty() || Character.isDigit(name.charAt(0)) ? "_" + name : name;
  }

  /**
   * A docs filter as a condition a person reads and edits in Grafana ({@code implant_id = 4595}); empty when the
   * filter's operator or value needs the engine's own rendering.
   */
  public static java.util.Optional<String> plainCondition(io.neuralake.filter.Filter f) {
    String op = switch (f.operator()) {
      case EQ -> "=";
      case NE -> "<>";
      case LT -> "<";
      case LE -> "<=";
      case GT -> ">";
      case GE -> ">=";
      case IN -> "IN";
      case NOT_IN -> "NOT IN";
      default -> null;
    };
    if (op == null) {
      return java.util.Optional.empty();
    }
    List<String> literals = new java.util.ArrayList<>();
    for (Object v : f.value() instanceof java.util.Collection<?> c ? c : List.of(f.value())) {
      if (v instanceof Number || v instanceof Boolean) {
        literals.add(String.valueOf(v));
      } else if (v instanceof String || v instanceof java.time.LocalDate) {
        literals.add("'" + v.toString().replace("'", "''") + "'");
      } else {
        return java.util.Optional.empty();
      }
    }
    String values = op.endsWith("IN") ? "(" + String.join(", ", literals) + ")" : literals.get(0);
    return java.util.Optional.of(identifier(f.column()) + " " + op + " " + values);
  }

  /** {@code db.table}, each part quoted when it is not a plain lower-case identifier. */
  public static String qualified(String db, String table) {
    return identifier(db) + "." + identifier(table);
  }

  /** A name as SQL: bare when plain, else double-quoted with quotes doubled. */
  public static String identifier(String name) {
    if (PLAIN.matcher(name).matches() && !RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static List<String> prepend(String first, List<String> rest) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
  }
}
