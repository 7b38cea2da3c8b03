package io.neuralake.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.jdbc.JdbcDialect;
import io.neuralake.spi.Values;
import io.neuralake.types.DataType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The query a relational table sends, in its database's {@link JdbcDialect}: the columns a read
 * needs and the filters the database can apply with the engine's meaning, as a {@code WHERE} whose
 * values are {@code ?} parameters (never spliced into the text) and whose identifiers are quoted,
 * and a row limit when every filter was pushed. Filters it cannot express stay out; the engine
 * applies every filter to what comes back, so leaving one out reads more rows, never wrong ones.
 *
 * @param sql the statement
 * @param parameters its {@code ?} values, in order
 * @param columns the columns it returns, in the table's order
 * @param pushed the filters it applies (a disjunction of conjunctions, as given)
 * @param limit the row limit it applies, if any
 * @param dialect the dialect it is written in
 */
public record RemoteQuery(String sql, List<Object> parameters, List<RemoteColumn> columns, Filters pushed,
    OptionalLong limit, JdbcDialect dialect) {
  public RemoteQuery {
    parameters = List.copyOf(parameters);
    columns = List.copyOf(columns);
    requireNonNull(limit, "limit");
    requireNonNull(dialect, "dialect");
  }

  /**
   * @param dialect how the database's SQL is written
   * @param table the table's name, for errors
   * @param from the query's {@code FROM} text: {@link #tableSource} or {@link #querySource}
   * @param all the table's columns
   * @param wanted the columns the read asks for (empty: all); columns that filters use are added
   * @param filters the read's filters and the engine's pruning filters, and-ed
   * @param limit the rows the read needs at most, if it needs no more; applied only when every filter
   *     is pushed whole, as rows the engine still drops would otherwise leave fewer than asked for
   */
  public static RemoteQuery render(JdbcDialect dialect, String table, String from, List<RemoteColumn> all,
      List<String> wanted, Filters filters, OptionalLong limit) {
    Map<String, RemoteColumn> byName = all.stream().collect(Collectors.toMap(RemoteColumn::name, Function.identity(),
        (a, b) -> a));
    List<Object> parameters = new ArrayList<>();
    List<List<Filter>> pushed = new ArrayList<>();
    List<String> terms = new ArrayList<>();
    boolean whole = !filters.isEmpty();
    boolean everyFilter = true;
    for (List<Filter> conjunction : filters.disjuncts()) {
      List<Filter> kept = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (Filter f : conjunction) {
        RemoteColumn column = byName.get(f.column());
        List<Object> values = new ArrayList<>();
        String part = column == null ? null : condition(dialect, table, f, column, values);
        if (part != null) {
          kept.add(f);
          parts.add(part);
          parameters.addAll(values);
        } else {
          everyFilter = false;
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
        : selected.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "));
    String where = terms.isEmpty() ? "" : " WHERE " + (terms.size() == 1 ? terms.get(0)
        : terms.stream().map(t -> "(" + t + ")").collect(Collectors.joining(" OR ")));
    String sql = "SELECT " + select + " FROM " + from + where;
    OptionalLong applied = (filters.isEmpty() || whole && everyFilter) ? limit : OptionalLong.empty();
    if (applied.isPresent()) {
      if (applied.getAsLong() < 0) {
        throw new IllegalArgumentException("a row limit cannot be negative, got " + applied.getAsLong());
      }
      sql = dialect.limit(sql, applied.getAsLong());
    }
    return new RemoteQuery(sql, parameters, selected, pushed.isEmpty() ? Filters.none() : Filters.anyOf(pushed),
        applied, dialect);
  }

  /** A table or view name, {@code schema.table} or {@code table}, each part quoted. */
  public static String tableSource(JdbcDialect dialect, String name) {
    if (name.isBlank()) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "the remote table name is blank");
    }
    return Arrays.stream(name.split("\\.", -1)).map(dialect::quote).collect(Collectors.joining("."));
  }

  /** A fixed query, read as a subquery. */
  public static String querySource(String sql) {
    return "(" + sql + ") AS q";
  }

  /** What a plan shows of the query: its SQL, parameters, pushed filters and dialect. */
  public String describe() {
    return "remote SQL: " + sql + (parameters.isEmpty() ? ""
        : " with parameters " + parameters.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]")))
        + "; pushed " + (pushed.isEmpty() ? "no filter" : pushed.toString()) + "; dialect " + dialect.name();
  }

  /** The filter as a condition with its values added to {@code values}, or null if it stays in the engine. */
  private static String condition(JdbcDialect dialect, String table, Filter f, RemoteColumn column,
      List<Object> values) {
    Object value;
    try {
      value = Values.coerceFilterValue(table, f, column.type());
    } catch (RuntimeException e) {
      return null; // the engine reports it, with the same words as for any table
    }
    if (value == null || value instanceof List<?> l && (l.isEmpty() || l.contains(null))) {
      return null;
    }
    boolean onList = f.operator().needsListColumn();
    if (!onList && !column.comparable()) {
      return null;
    }
    // includes compares the list's elements: its value is typed as one
    DataType valueType = onList ? ((DataType.ListType) column.type()).element() : column.type();
    String cast = dialect.castType(valueType);
    if (cast == null) {
      return null;
    }
    List<?> items = value instanceof List<?> l && f.operator().takesList() ? l : List.of(value);
    String condition = dialect.condition(f.operator(), dialect.quote(column.name()), column.type(),
        Collections.nCopies(items.size(), "CAST(? AS " + cast + ")"));
    if (condition != null) {
      items.forEach(v -> values.add(parameter(v, valueType)));
    }
    return condition;
  }

  /** Values as the driver binds them: zoned timestamps, which filters carry as UTC LocalDateTimes, with their offset. */
  private static Object parameter(Object value, DataType type) {
    if (type.equals(DataType.TIMESTAMP_TZ) && value instanceof LocalDateTime t) {
      return t.atOffset(ZoneOffset.UTC);
    }
    return value instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : value;
  }
}
