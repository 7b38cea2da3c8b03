package io.neuralake.filter;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One predicate on a column: {@code column operator value}. A list of filters is a conjunction;
 * a list of lists is a disjunction of conjunctions (see {@link Filters}).
 *
 * <p>Filters are data, not code, so tables can use them to prune partitions and files before
 * anything is read, and the catalog can show them as examples.
 */
public record Filter(String column, Operator operator, Object value) {
  public Filter {
    requireNonNull(column, "column");
    requireNonNull(operator, "operator");
    if (column.isBlank()) {
      throw new NeuralakeException(ErrorCode.INVALID_FILTER, "a filter needs a column name");
    }
    value = normalize(column, operator, value);
  }

  /** A filter from an operator as written: {@code Filter.of("implant_id", "=", 4595)}. */
  public static Filter of(String column, String operator, Object value) {
    return new Filter(column, Operator.parse(operator), value);
  }

  /**
   * A filter written as text, {@code "column op value"}: {@code "implant_id = 4595"},
   * {@code "date in ['2024-04-27', '2024-04-28']"}, {@code "name contains 'abc'"}.
   */
  public static Filter parse(String text) {
    return FilterParser.parse(text);
  }

  public static Filter eq(String column, Object value) {
    return new Filter(column, Operator.EQ, value);
  }

  public static Filter ne(String column, Object value) {
    return new Filter(column, Operator.NE, value);
  }

  public static Filter lt(String column, Object value) {
    return new Filter(column, Operator.LT, value);
  }

  public static Filter le(String column, Object value) {
    return new Filter(column, Operator.LE, value);
  }

  public static Filter gt(String column, Object value) {
    return new Filter(column, Operator.GT, value);
  }

  public static Filter ge(String column, Object value) {
    return new Filter(column, Operator.GE, value);
  }

  public static Filter in(String column, Collection<?> values) {
    return new Filter(column, Operator.IN, values);
  }

  public static Filter in(String column, Object... values) {
    return new Filter(column, Operator.IN, java.util.Arrays.asList(values));
  }

  public static Filter notIn(String column, Collection<?> values) {
    return new Filter(column, Operator.NOT_IN, values);
  }

  public static Filter notIn(String column, Object... values) {
    return new Filter(column, Operator.NOT_IN, java.util.Arrays.asList(values));
  }

  public static Filter contains(String column, String substring) {
    return new Filter(column, Operator.CONTAINS, substring);
  }

  public static Filter includes(String column, Object value) {
    return new Filter(column, Operator.INCLUDES, value);
  }

  public static Filter includesAny(String column, Collection<?> values) {
    return new Filter(column, Operator.INCLUDES_ANY, values);
  }

  public static Filter includesAny(String column, Object... values) {
    return new Filter(column, Operator.INCLUDES_ANY, java.util.Arrays.asList(values));
  }

  public static Filter includesAll(String column, Collection<?> values) {
    return new Filter(column, Operator.INCLUDES_ALL, values);
  }

  public static Filter includesAll(String column, Object... values) {
    return new Filter(column, Operator.INCLUDES_ALL, java.util.Arrays.asList(values));
  }

  /** The values of a list operator ({@code in}, {@code not in}, {@code includes any/all}). */
  @SuppressWarnings("unchecked")
  public List<Object> values() {
    if (!operator.takesList()) {
      throw new IllegalStateException("operator '" + operator + "' takes one value, not a list");
    }
    return (List<Object>) value;
  }

  private static Object normalize(String column, Operator operator, Object value) {
    if (operator.takesList()) {
      List<Object> list = asList(value);
      if (list == null) {
        throw new NeuralakeException(ErrorCode.INVALID_FILTER, "filter on '" + column + "': operator '" + operator
            + "' takes a list of values, got " + describe(value) + "; e.g. Filter.in(\"" + column + "\", 1, 2, 3)");
      }
      for (Object v : list) {
        if (v == null) {
          throw new NeuralakeException(ErrorCode.INVALID_FILTER, "filter on '" + column + "': operator '" + operator
              + "' got a null in its list; nulls never compare equal, leave them out");
        }
      }
      return List.copyOf(list);
    }
    if (value == null) {
      throw new NeuralakeException(ErrorCode.INVALID_FILTER, "filter on '" + column + "': operator '" + operator
          + "' needs a value, got null");
    }
    if (asList(value) != null) {
      throw new NeuralakeException(ErrorCode.INVALID_FILTER, "filter on '" + column + "': operator '" + operator
          + "' takes one value, got the list " + value + "; use 'in' for a list of values");
    }
    if (operator == Operator.CONTAINS && !(value instanceof String)) {
      throw new NeuralakeException(ErrorCode.INVALID_FILTER,
          "filter on '" + column + "': 'contains' takes a string, got " + describe(value));
    }
    return value;
  }

  private static List<Object> asList(Object value) {
    if (value instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    // a byte[] is one binary value, not a list of bytes
    if (value != null && value.getClass().isArray() && !(value instanceof byte[])) {
      int n = Array.getLength(value);
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(Array.get(value, i));
      }
      return out;
    }
    return null;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    return shown(value) + " (" + value.getClass().getSimpleName() + ")";
  }

  /** A value as written in a filter's text: strings quoted, binary as {@code X'CAFE'}. */
  private static Object shown(Object value) {
    return switch (value) {
      case String s -> "'" + s + "'";
      case byte[] b -> "X'" + java.util.HexFormat.of().withUpperCase().formatHex(b) + "'";
      case null, default -> value;
    };
  }

  @Override
  public String toString() {
    return column + " " + operator + " " + shown(value);
  }
}
