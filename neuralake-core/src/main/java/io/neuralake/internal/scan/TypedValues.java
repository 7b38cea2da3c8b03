package io.neuralake.internal.scan;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Operator;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts filter values and path segments to the Java value of a column type, with errors that
 * name the table, column and value. One canonical Java class per type keeps comparisons simple:
 * integers are {@code Long}, floats {@code Double}, decimals {@code BigDecimal}, dates
 * {@code LocalDate}, timestamps {@code LocalDateTime} (UTC for zoned ones).
 */
public final class TypedValues {
  /** Hive's spelling of a null partition value. */
  public static final String HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";

  private TypedValues() {}

  /** The filter with its value(s) converted to the column's type; lists for list operators. */
  public static Object coerceFilterValue(String table, Filter filter, DataType columnType) {
    DataType valueType = columnType;
    if (filter.operator().needsListColumn()) {
      if (!(columnType instanceof DataType.ListType list)) {
        throw new NeuralakeException(ErrorCode.INVALID_FILTER,
            "table '" + table + "': filter " + filter + " uses '" + filter.operator()
            + "', which needs a list column, but '" + filter.column() + "' is " + columnType.typeName()
            + "; use '=' or 'in' for a scalar column");
      }
      valueType = list.element();
    } else if (filter.operator() == Operator.CONTAINS && !columnType.equals(DataType.STRING)) {
      throw new NeuralakeException(ErrorCode.INVALID_FILTER,
          "table '" + table + "': filter " + filter + " uses 'contains', which needs a"
          + " string column, but '" + filter.column() + "' is " + columnType.typeName() + "; use 'includes' for list columns");
    }
    if (filter.operator() == Operator.CONTAINS) {
      return filter.value();
    }
    if (filter.operator().takesList()) {
      List<Object> out = new ArrayList<>();
      for (Object v : filter.values()) {
        out.add(coerce(table, filter.column(), v, valueType));
      }
      return out;
    }
    return coerce(table, filter.column(), filter.value(), valueType);
  }

  /** One value converted to a column type. */
  public static Object coerce(String table, String column, Object value, DataType type) {
    try {
      return convert(value, type, false);
    } catch (RuntimeException e) {
      throw new NeuralakeException(ErrorCode.TYPE_MISMATCH,
          "table '" + table + "': the value " + describe(value) + " does not fit column '"
          + column + "' of type " + type.typeName() + "; " + hint(type, column), e);
    }
  }

  /** A value written as text (a Delta partition value), parsed as the column's type; null stays null. */
  public static Object parseText(String table, String column, String text, DataType type) {
    if (text == null) {
      return null;
    }
    try {
      return convert(text, type, true);
    } catch (RuntimeException e) {
      throw new NeuralakeException(ErrorCode.CORRUPT_LOG,
          "table '" + table + "': the partition value '" + text + "' is not a valid "
          + type.typeName() + " for column '" + column + "'", e);
    }
  }

  /** A partition value from a path segment ({@code 4595}, {@code 2024-04-28}, URL-escaped as Hive does). */
  public static Object parsePathValue(String table, String column, String raw, DataType type, String path) {
    String text = PathValues.unescape(raw);
    if (text.equals(HIVE_NULL)) {
      return null;
    }
    try {
      return convert(text, type, true);
    } catch (RuntimeException e) {
      throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH,
          "table '" + table + "': the partition path '" + path + "' does not parse: '"
          + text + "' is not a valid " + type.typeName() + " for partition column '" + column
          + "'; fix the folder name or declare the partition with the type its values have");
    }
  }

  /**
   * @param fromText whether the value is text from a path, where every type is spelled as a
   *     string; a string filter value against a number column is a mistake worth reporting
   */
  private static Object convert(Object value, DataType type, boolean fromText) {
    if (!(type instanceof DataType.Primitive p)) {
      if (type instanceof DataType.Decimal d) {
        if (value instanceof Number || (value instanceof String && fromText)) {
          return decimal(new BigDecimal(value.toString().trim()), d);
        }
        throw mismatch();
      }
      return value;
    }
    return switch (p.kind()) {
      case BOOLEAN -> {
        if (value instanceof Boolean b) {
          yield b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
          yield Boolean.parseBoolean(s);
        }
        throw mismatch();
      }
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> integer(value, p.kind(), fromText);
      case FLOAT32, FLOAT64 -> {
        if (value instanceof Number n) {
          yield n.doubleValue();
        }
        if (value instanceof String s && fromText) {
          yield Double.parseDouble(s);
        }
        throw mismatch();
      }
      case STRING -> {
        if (value instanceof String || value instanceof Character) {
          yield value.toString();
        }
        throw mismatch();
      }
      case DATE -> {
        if (value instanceof LocalDate d) {
          yield d;
        }
        if (value instanceof String s) {
          yield LocalDate.parse(s);
        }
        throw mismatch();
      }
      case TIME -> {
        if (value instanceof LocalTime t) {
          yield t;
        }
        if (value instanceof String s) {
          yield LocalTime.parse(s);
        }
        throw mismatch();
      }
      case TIMESTAMP, TIMESTAMP_TZ -> timestamp(value);
      case BINARY -> {
        if (value instanceof byte[]) {
          yield value;
        }
        if (value instanceof String s && fromText) {
          // how Spark and Delta spell a binary partition value: its bytes as (UTF-8) text
          yield s.getBytes(StandardCharsets.UTF_8);
        }
        throw mismatch();
      }
    };
  }

  /**
   * A decimal at the column's scale when that loses nothing, so equal values are equal objects
   * ({@code 1.5} and {@code 1.50000} in a decimal(12,5) column); a value with more digits keeps
   * them, and compares as the number it is.
   */
  private static BigDecimal decimal(BigDecimal value, DataType.Decimal type) {
    if (value.scale() == type.scale()) {
      return value;
    }
    try {
      return value.setScale(type.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      return value;
    }
  }

  private static Long integer(Object value, DataType.Kind kind, boolean fromText) {
    BigInteger big;
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      big = BigInteger.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger b) {
      big = b;
    } else if (value instanceof BigDecimal d) {
      big = d.toBigIntegerExact();
    } else if (value instanceof String s && fromText) {
      big = new BigInteger(s.trim());
    } else {
      throw mismatch();
    }
    BigInteger min = switch (kind) {
      case INT8 -> BigInteger.valueOf(Byte.MIN_VALUE);
      case INT16 -> BigInteger.valueOf(Short.MIN_VALUE);
      case INT32 -> BigInteger.valueOf(Integer.MIN_VALUE);
      case INT64 -> BigInteger.valueOf(Long.MIN_VALUE);
      default -> BigInteger.ZERO;
    };
    BigInteger max = switch (kind) {
      case INT8 -> BigInteger.valueOf(Byte.MAX_VALUE);
      case INT16 -> BigInteger.valueOf(Short.MAX_VALUE);
      case INT32 -> BigInteger.valueOf(Integer.MAX_VALUE);
      case UINT8 -> BigInteger.valueOf(255);
      case UINT16 -> BigInteger.valueOf(65535);
      case UINT32 -> BigInteger.valueOf(4294967295L);
      default -> BigInteger.valueOf(Long.MAX_VALUE);
    };
    if (big.compareTo(min) < 0 || big.compareTo(max) > 0) {
      throw new ArithmeticException("out of range");
    }
    return big.longValue();
  }

  private static LocalDateTime timestamp(Object value) {
    if (value instanceof LocalDateTime t) {
      return t;
    }
    if (value instanceof Instant i) {
      return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }
    if (value instanceof OffsetDateTime o) {
      return o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    if (value instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (value instanceof String s) {
      String t = s.trim().replace(' ', 'T');
      try {
        return LocalDateTime.parse(t);
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (DateTimeParseException e2) {
          return LocalDate.parse(t).atStartOfDay();
        }
      }
    }
    throw mismatch();
  }

  private static IllegalArgumentException mismatch() {
    return new IllegalArgumentException("type mismatch");
  }

  private static String describe(Object value) {
    return value instanceof String s ? "'" + s + "' (a string)" : value + " (" + value.getClass().getSimpleName() + ")";
  }

  private static String hint(DataType type, String column) {
    if (type.isInteger()) {
      return "pass a whole number, e.g. Filter.eq(\"" + column + "\", 42)";
    }
    if (type.isNumeric()) {
      return "pass a number, e.g. Filter.gt(\"" + column + "\", 20.0)";
    }
    if (type.equals(DataType.STRING)) {
      return "pass a string, e.g. Filter.eq(\"" + column + "\", \"42\")";
    }
    if (type.equals(DataType.DATE)) {
      return "pass a LocalDate or an ISO date string such as \"2024-04-28\"";
    }
    if (type.isTemporal()) {
      return "pass a LocalDateTime, an Instant or an ISO string such as \"2024-04-28T12:00:00\"";
    }
    if (type.equals(DataType.BOOLEAN)) {
      return "pass true or false";
    }
    if (type.equals(DataType.BINARY)) {
      return "pass a byte[]";
    }
    return "pass a value of that type";
  }
}
