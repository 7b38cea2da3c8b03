package io.neuralake.server.internal.flight;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.SqlText;
import io.neuralake.spi.Values;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The {@code ?} parameters of a prepared statement: where they are in the SQL text (not inside
 * strings, quoted names or comments), the type each likely has, and the statement with values
 * bound. Values reach the SQL only as escaped literals cast to their type: a bound value can never
 * become SQL.
 */
final class Parameters {
  /** The column a parameter is compared with, in the text before it: {@code col = ?}, {@code col IN (a, ?}. */
  private static final Pattern COMPARED = Pattern.compile(
      "(?is)\"?([A-Za-z_][A-Za-z0-9_]*)\"?\\s*(?:=|==|<>|!=|<=|>=|<|>|\\bNOT\\s+LIKE\\b|\\bI?LIKE\\b"
      + "|\\b(?:NOT\\s+)?IN\\s*\\([^()]*|\\b(?:NOT\\s+)?BETWEEN\\b(?:[^()]*?\\bAND\\b)?)\\s*$");

  private Parameters() {}

  /** Offsets of the {@code ?} placeholders in {@code sql}, in order. */
  static List<Integer> placeholders(String sql) {
    List<Integer> at = new ArrayList<>();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        i = closing(sql, i, c);
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (c == '?') {
        at.add(i);
      }
    }
    return at;
  }

  /** The offset of the quote closing the one at {@code open} (a doubled quote escapes itself). */
  private static int closing(String sql, int open, char quote) {
    for (int i = open + 1; i < sql.length(); i++) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i++;
        } else {
          return i;
        }
      }
    }
    return sql.length();
  }

  /** The SQL with each placeholder replaced by the SQL text at its index. */
  static String substitute(String sql, List<String> texts) {
    List<Integer> at = placeholders(sql);
    if (at.size() != texts.size()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the statement has " + at.size() + " parameters (?) but "
          + texts.size() + " values were bound; bind one value per parameter");
    }
    StringBuilder sb = new StringBuilder(sql.length() + 16 * texts.size());
    int from = 0;
    for (int p = 0; p < at.size(); p++) {
      sb.append(sql, from, at.get(p)).append(texts.get(p));
      from = at.get(p) + 1;
    }
    return sb.append(sql, from, sql.length()).toString();
  }

  /**
   * The SQL with every parameter NULL, of its type where known ({@link #types}), untyped or text
   * otherwise: planned to learn the result's columns before values are bound.
   */
  static String withNulls(String sql, List<Optional<DataType>> types, boolean untypedAsText) {
    return substitute(sql, types.stream().map(t -> t.map(type -> "CAST(NULL AS " + type.sqlName() + ")")
        .orElse(untypedAsText ? "CAST(NULL AS VARCHAR)" : "NULL")).toList());
  }

  /**
   * The statement with the values of one row of {@code values} bound, in order (the row's columns
   * are the parameters, whatever their names).
   */
  static String bind(String sql, VectorSchemaRoot values, int row) {
    List<String> literals = new ArrayList<>();
    for (int p = 0; p < values.getFieldVectors().size(); p++) {
      FieldVector v = values.getVector(p);
      literals.add(literal(p + 1, Values.arrowValue(v, row)));
    }
    return substitute(sql, literals);
  }

  /** A value as a literal of its own type; a string stays an untyped literal, which the engine casts as needed. */
  static String literal(int parameter, Object value) {
    return switch (value) {
      case null -> "NULL";
      case String s -> SqlText.string(s);
      case Boolean b -> SqlText.typed(b, DataType.BOOLEAN);
      case Byte b -> SqlText.typed(b, DataType.INT8);
      case Short s -> SqlText.typed(s, DataType.INT16);
      case Integer i -> SqlText.typed(i, DataType.INT32);
      case Long l -> SqlText.typed(l, DataType.INT64);
      case Float f -> SqlText.typed(f, DataType.FLOAT32);
      case Double d -> SqlText.typed(d, DataType.FLOAT64);
      case BigDecimal d -> SqlText.typed(d, DataType.decimal(38, Math.min(Math.max(d.scale(), 0), 37)));
      case LocalDate d -> SqlText.typed(d, DataType.DATE);
      case LocalTime t -> SqlText.typed(t, DataType.TIME);
      case LocalDateTime t -> SqlText.typed(t, DataType.TIMESTAMP);
      case Instant t -> SqlText.typed(t, DataType.TIMESTAMP_TZ);
      case OffsetDateTime t -> SqlText.typed(t, DataType.TIMESTAMP_TZ);
      case byte[] b -> SqlText.typed(b, DataType.BINARY);
      default -> throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "parameter " + parameter + " is a "
          + value.getClass().getSimpleName() + ", which cannot be bound; bind a string, number, boolean, date, time,"
          + " timestamp or binary value");
    };
  }

  /**
   * The type each parameter likely has: that of the column it is compared with ({@code col = ?},
   * {@code col IN (?, ?)}, {@code col BETWEEN ? AND ?}), found by {@code columns}; otherwise none,
   * and clients bind it as text. Clients such as the JDBC driver convert values by these types.
   */
  static List<Optional<DataType>> types(String sql, Function<String, Optional<DataType>> columns) {
    List<Optional<DataType>> types = new ArrayList<>();
    for (int at : placeholders(sql)) {
      String before = sql.substring(Math.max(0, at - 256), at);
      Matcher m = COMPARED.matcher(before);
      types.add(m.find() ? columns.apply(m.group(1)) : Optional.empty());
    }
    return types;
  }
}
