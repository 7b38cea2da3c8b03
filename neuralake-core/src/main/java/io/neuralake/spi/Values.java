package io.neuralake.spi;

import io.neuralake.filter.Filter;
import io.neuralake.internal.arrow.ArrowValues;
import io.neuralake.internal.scan.Comparisons;
import io.neuralake.internal.scan.TypedValues;
import io.neuralake.types.DataType;
import org.apache.arrow.vector.FieldVector;

/** Typed values as the core reads them: filter values, partition text, Arrow cells, comparisons. */
public final class Values {
  private Values() {}

  /** A filter's value converted to the column's type (errors name the table, column and value). */
  public static Object coerceFilterValue(String table, Filter filter, DataType columnType) {
    return TypedValues.coerceFilterValue(table, filter, columnType);
  }

  /** A value written as text (a partition value) parsed as {@code type}; {@code null} for the null marker. */
  public static Object parseText(String table, String column, String text, DataType type) {
    return TypedValues.parseText(table, column, text, type);
  }

  /** Whether {@code actual} satisfies {@code filter}, whose value was coerced to {@code expected}. */
  public static boolean test(Filter filter, Object expected, Object actual) {
    return Comparisons.test(filter, expected, actual);
  }

  /** Row {@code i} of an Arrow vector as the Java value frames use. */
  public static Object arrowValue(FieldVector vector, int i) {
    return ArrowValues.get(vector, i);
  }
}
