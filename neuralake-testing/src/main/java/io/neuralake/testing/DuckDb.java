package io.neuralake.testing;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plain DuckDB connection, independent of Neuralake's engine: tests write fixtures with it and
 * compute expected answers with it, so results are checked against something we did not write.
 */
public final class DuckDb implements AutoCloseable {
  private final Connection connection;

  public DuckDb() {
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " -> " + e.getMessage(), e);
    }
  }

  /** Rows as canonical strings (see {@link Rows#canonical}), in result order. */
  public List<String> rows(String sql) {
    List<String> out = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(jdbcValue(rs.getObject(i)));
        }
        out.add(Rows.canonical(row));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " -> " + e.getMessage(), e);
    }
    return out;
  }

  public long count(String sql) {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " -> " + e.getMessage(), e);
    }
  }

  private static Object jdbcValue(Object v) throws SQLException {
    if (v instanceof Array a) {
      List<Object> out = new ArrayList<>();
      for (Object o : (Object[]) a.getArray()) {
        out.add(jdbcValue(o));
      }
      return out;
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return v;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Canonical row strings, so values from Arrow and from JDBC compare equal when they are equal. */
  public static final class Rows {
    private Rows() {}

    public static String canonical(List<Object> row) {
      return row.stream().map(Rows::value).collect(Collectors.joining(" | "));
    }

    public static List<String> of(List<Map<String, Object>> rows) {
      return rows.stream().map(r -> canonical(new ArrayList<>(r.values()))).toList();
    }

    static String value(Object v) {
      if (v == null) {
        return "null";
      }
      if (v instanceof Double || v instanceof Float) {
        // parallel sums add in any order: compare floats to 12 significant digits
        double d = ((Number) v).doubleValue();
        return BigDecimal.valueOf(d).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
      }
      if (v instanceof BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
      }
      if (v instanceof Number n) {
        return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
      }
      if (v instanceof LocalDate || v instanceof LocalDateTime) {
        return v.toString();
      }
      if (v instanceof List<?> l) {
        return l.stream().map(Rows::value).collect(Collectors.joining(", ", "[", "]"));
      }
      return v.toString();
    }
  }
}
