package io.neuralake.server.internal.http;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.Values;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;

/**
 * A filter value written as text (a URL parameter, a GraphQL argument) as the value of its
 * column's type: numbers, booleans, dates and timestamps (ISO-8601), strings as written. The
 * value becomes a typed {@link io.neuralake.filter.Filter}, never SQL text.
 */
final class FilterValues {
  private FilterValues() {}

  /** Whether the text stands for SQL's NULL ({@code NULL} or {@code null}). */
  static boolean isNull(String text) {
    return text.equals("NULL") || text.equals("null");
  }

  static Object typed(String table, Field column, String text, String parameter) {
    DataType type = column.type();
    if (type.equals(DataType.STRING)) {
      return text;
    }
    try {
      Object v = Values.parseText(table, column.name(), text.strip(), type);
      if (v == null) {
        throw new IllegalArgumentException("no value");
      }
      return v;
    } catch (RuntimeException e) {
      throw new NeuralakeException(ErrorCode.TYPE_MISMATCH, parameter + ": '" + text + "' is not a value of column '"
          + column.name() + "' of " + table + ", which is " + type.typeName() + "; " + example(type), e);
    }
  }

  private static String example(DataType type) {
    if (type.isInteger()) {
      return "give a whole number such as 42";
    }
    if (type.isNumeric()) {
      return "give a number such as 2.5";
    }
    if (type.equals(DataType.BOOLEAN)) {
      return "give true or false";
    }
    if (type.equals(DataType.DATE)) {
      return "give an ISO date such as 2024-04-28";
    }
    if (type.isTemporal()) {
      return "give an ISO date-time such as 2024-04-28T12:00:00";
    }
    return "this column cannot be filtered from a URL";
  }
}
