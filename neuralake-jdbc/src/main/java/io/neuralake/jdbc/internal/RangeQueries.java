package io.neuralake.jdbc.internal;

import io.neuralake.jdbc.JdbcDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The queries of a parallel read by ranges of one column, around a read's own query (its columns
 * and pushed filters) as a subquery: one for the column's minimum and maximum under those filters,
 * then one per range. The first range also takes the column's NULLs, so every row is read by
 * exactly one range, and the outer ranges are open-ended, so a row written between the two steps
 * is not lost to a stale bound.
 */
public final class RangeQueries {
  private RangeQueries() {}

  /** {@code SELECT min(c), max(c)} over the read's query, with its parameters. */
  public static RemoteQuery minMax(RemoteQuery read, RemoteColumn column) {
    String c = read.dialect().quote(column.name());
    return new RemoteQuery("SELECT min(" + c + "), max(" + c + ") FROM (" + read.sql() + ") AS r",
        read.parameters(), List.of(column), read.pushed(), OptionalLong.empty(), read.dialect());
  }

  /**
   * One query per range between {@code bounds} (see {@link RangeSplit#bounds}), each returning
   * {@code output} (the read's columns, without the range column when only the ranges needed it).
   */
  public static List<RemoteQuery> ranges(RemoteQuery read, RemoteColumn column, List<Object> bounds,
      List<RemoteColumn> output) {
    if (bounds.isEmpty()) {
      return List.of(range(read, column, null, null, output));
    }
    List<RemoteQuery> out = new ArrayList<>();
    for (int i = 0; i <= bounds.size(); i++) {
      out.add(range(read, column, i > 0 ? bounds.get(i - 1) : null, i < bounds.size() ? bounds.get(i) : null, output));
    }
    return out;
  }

  /**
   * The query of one range: the rows with {@code from <= column < until}; {@code from} null also
   * takes every row below {@code until} and the column's NULLs, {@code until} null every row from
   * {@code from} up; both null, every row.
   */
  public static RemoteQuery range(RemoteQuery read, RemoteColumn column, Object from, Object until,
      List<RemoteColumn> output) {
    String select = "SELECT " + (output.isEmpty() ? "1" // a count over no columns still needs one per row
        : output.stream().map(o -> read.dialect().quote(o.name())).collect(Collectors.joining(", ")))
        + " FROM (" + read.sql() + ") AS r";
    List<Object> parameters = new ArrayList<>(read.parameters());
    if (from != null) {
      parameters.add(from);
    }
    if (until != null) {
      parameters.add(until);
    }
    String where = from == null && until == null ? "" : " WHERE " + condition(read.dialect(), column, from != null,
        until != null);
    return new RemoteQuery(select + where, parameters, output, read.pushed(), OptionalLong.empty(), read.dialect());
  }

  /** Range {@code i} of {@code n} as SQL with {@code ?} for its bounds (the first takes the NULLs). */
  public static String condition(JdbcDialect dialect, RemoteColumn column, int i, int n) {
    return condition(dialect, column, i > 0, i < n - 1);
  }

  private static String condition(JdbcDialect dialect, RemoteColumn column, boolean from, boolean until) {
    String c = dialect.quote(column.name());
    String bound = "CAST(? AS " + dialect.castType(column.type()) + ")";
    if (!from) {
      return "(" + c + " < " + bound + " OR " + c + " IS NULL)";
    }
    return until ? c + " >= " + bound + " AND " + c + " < " + bound : c + " >= " + bound;
  }
}
