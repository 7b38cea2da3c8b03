package io.neuralake.jdbc.internal;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.spi.Values;
import io.neuralake.types.DataType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The query a relational table sends (PostgreSQL's dialect): the columns a read needs and the
 * filters the database can apply with the engine's meaning, as a {@code WHERE} whose values are
 * {@code ?} parameters (never spliced into the text) and whose identifiers are quoted. Filters it
 * cannot express stay out; the engine applies every filter to what comes back, so leaving one out
 * reads more rows, never wrong ones.
 *
 * @param sql the statement
 * @param parameters its {@code ?} values, in order
 * @param columns the columns it returns, in the table's order
 * @param pushed the filters it applies (a disjunction of conjunctions, as given)
 */
public record RemoteQuery(String sql, List<Object> parameters, List<RemoteColumn> columns, Filters pushed) {
  public RemoteQuery {
    parameters = List.copyOf(parameters);
    columns = List.copyOf(columns);
  }

  /**
   * @param table the table's name, for errors
   * @param from the query's {@code FROM} text: {@link #tableSource} or {@link #querySource}
   * @param all the table's columns
   * @param wanted the columns the read asks for (empty: all); columns that filters use are added
   * @param filters the read's filters and the engine's pruning filters, and-ed
   */
  public static RemoteQuery render(String table, String from, List<RemoteColumn> all, List<String> wanted,
      Filters filters) {
    Map<String, RemoteColumn> byName = all.stream().collect(Collectors.toMap(RemoteColumn::name, Function.identity(),
        (a, b) -> a));
    List<Object> parameters = new ArrayList<>();
    List<List<Filter>> pushed = new ArrayList<>();
    List<String> terms = new ArrayList<>();
    boolean whole = !filters.isEmpty();
    for (List<Filter> conjunction : filters.disjuncts()) {
      List<Filter> kept = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (Filter f : conjunction) {
        RemoteColumn column = byName.get(f.column());
        List<Object> values = new ArrayList<>();
        String part = column == null ? null : condition(table, f, column, values);
        if (part != null) {
          kept.add(f);
          parts.add(part);
          parameters.addAll(values);
        }
      }
      if (parts.isEmpty()) {
        // one disjunct the database cannot narrow: the whole disjunction must stay in the engine
        whole = false;
        break;
      }
      pushed.add(kept);
      terms.add(String.join(" AND ", parts));
    }
    if (!whole) {
      parameters.clear();
      pushed.clear();
      terms.clear();
    }
    Set<String> needed = new LinkedHashSet<>(wanted);
    if (!wanted.isEmpty()) {
      filters.disjuncts().forEach(c -> c.forEach(f -> needed.add(f.column())));
    }
    List<RemoteColumn> selected = all.stream().filter(c -> wanted.isEmpty() || needed.contains(c.name())).toList();
    String select = selected.isEmpty() ? "1" // a count over no columns still needs one per row
        : selected.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    String where = terms.isEmpty() ? "" : " WHERE " + (terms.size() == 1 ? terms.get(0)
        : terms.stream().map(t -> "(" + t + ")").collect(Collectors.joining(" OR ")));
    return new RemoteQuery("SELECT " + select + " FROM " + from + where, parameters, selected,
        pushed.isEmpty() ? Filters.none() : Filters.anyOf(pushed));
  }

  /** A table or view name, {@code schema.table} or {@code table}, each part quoted. */
  public static String tableSource(String name) {
    if (name.isBlank()) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "the remote table name is blank");
    }
    return java.util.Arrays.stream(name.split("\\.", -1)).map(RemoteQuery::quote).collect(Collectors.joining("."));
  }

  /** A fixed query, read as a subquery. */
  public static String querySource(String sql) {
    return "(" + sql + ") AS q";
  }

  /** A quoted identifier: double quotes doubled, so no name can end the quoting. */
  public static String quote(String identifier) {
    if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "'" + identifier.replace("\0", "\\0")
          + "' is not a valid identifier for a relational table (empty, or holds a NUL character)");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The filter as a condition with its values added to {@code values}, or null if it stays in the engine. */
  private static String condition(String table, Filter f, RemoteColumn column, List<Object> values) {
    Object value;
    try {
      value = Values.coerceFilterValue(table, f, column.type());
    } catch (RuntimeException e) {
      return null; // the engine reports it, with the same words as for any table
    }
    if (value == null || value instanceof List<?> l && (l.isEmpty() || l.contains(null))) {
      return null;
    }
    String col = quote(column.name());
    if (column.type() instanceof DataType.ListType list) {
      String element = castType(list.element());
      if (f.operator() != io.neuralake.filter.Operator.INCLUDES || element == null) {
        return null;
      }
      values.add(parameter(value, list.element()));
      return "CAST(? AS " + element + ") = ANY(" + col + ")";
    }
    String cast = castType(column.type());
    if (!column.comparable() || cast == null) {
      return null;
    }
    // text order: byte order, as the engine compares, whatever the database's collation
    String ordered = column.type().equals(DataType.STRING) ? col + " COLLATE \"C\"" : col;
    String param = "CAST(? AS " + cast + ")";
    return switch (f.operator()) {
      case EQ -> add(values, value, column.type(), col + " = " + param);
      case NE -> add(values, value, column.type(), col + " <> " + param);
      case LT -> add(values, value, column.type(), ordered + " < " + param);
      case LE -> add(values, value, column.type(), ordered + " <= " + param);
      case GT -> add(values, value, column.type(), ordered + " > " + param);
      case GE -> add(values, value, column.type(), ordered + " >= " + param);
      case IN, NOT_IN -> {
        List<?> items = (List<?>) value;
        items.forEach(v -> values.add(parameter(v, column.type())));
        yield col + (f.operator() == io.neuralake.filter.Operator.IN ? " IN (" : " NOT IN (")
            + String.join(", ", java.util.Collections.nCopies(items.size(), param)) + ")";
      }
      // strpos, not LIKE: a value's % and _ are text, not patterns
      case CONTAINS -> column.type().equals(DataType.STRING) ? add(values, value, column.type(), "strpos(" + col + ", " + param + ") > 0")
          : null;
      case INCLUDES, INCLUDES_ANY, INCLUDES_ALL -> null;
    };
  }

  private static String add(List<Object> values, Object value, DataType type, String condition) {
    values.add(parameter(value, type));
    return condition;
  }

  /** Values as the driver binds them: zoned timestamps, which filters carry as UTC LocalDateTimes, with their offset. */
  private static Object parameter(Object value, DataType type) {
    if (type.equals(DataType.TIMESTAMP_TZ) && value instanceof LocalDateTime t) {
      return t.atOffset(ZoneOffset.UTC);
    }
    return value instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : value;
  }

  /** PostgreSQL's name for our type, for parameters typed as the engine types its literals; null if none. */
  static String castType(DataType type) {
    if (type instanceof DataType.Decimal d) {
      return "numeric(" + d.precision() + "," + d.scale() + ")";
    }
    if (!(type instanceof DataType.Primitive p)) {
      return null;
    }
    return switch (p.kind()) {
      case BOOLEAN -> "boolean";
      case INT16 -> "smallint";
      case INT32 -> "integer";
      case INT64 -> "bigint";
      case FLOAT32 -> "real";
      case FLOAT64 -> "double precision";
      case STRING -> "text";
      case DATE -> "date";
      case TIME -> "time";
      case TIMESTAMP -> "timestamp";
      case TIMESTAMP_TZ -> "timestamptz";
      default -> null;
    };
  }
}
