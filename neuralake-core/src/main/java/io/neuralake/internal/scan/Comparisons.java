package io.neuralake.internal.scan;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Operator;
import java.util.List;

/** Evaluates a filter against one typed value in Java, with SQL's null semantics. */
public final class Comparisons {
  private Comparisons() {}

  /** Whether {@code actual} satisfies the filter whose value was coerced to {@code expected}. */
  public static boolean test(Filter filter, Object expected, Object actual) {
    if (actual == null) {
      // comparisons with NULL are never true; but nothing is in an empty list, as the engine
      // renders NOT IN () as TRUE for every row
      return filter.operator() == Operator.NOT_IN && ((List<?>) expected).isEmpty();
    }
    return switch (filter.operator()) {
      case EQ -> compare(actual, expected) == 0;
      case NE -> compare(actual, expected) != 0;
      case LT -> compare(actual, expected) < 0;
      case LE -> compare(actual, expected) <= 0;
      case GT -> compare(actual, expected) > 0;
      case GE -> compare(actual, expected) >= 0;
      case IN -> ((List<?>) expected).stream().anyMatch(v -> compare(actual, v) == 0);
      case NOT_IN -> ((List<?>) expected).stream().noneMatch(v -> compare(actual, v) == 0);
      case CONTAINS -> actual.toString().contains(expected.toString());
      // partition values are scalars; list operators are rejected when filters are typed
      case INCLUDES, INCLUDES_ANY, INCLUDES_ALL -> true;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y && (a.getClass() != b.getClass() || a instanceof Double)) {
      double dx = x.doubleValue();
      double dy = y.doubleValue();
      // as in the engine: -0.0 equals 0.0 (Double.compare orders them), NaN equals NaN and sorts last
      return dx == dy ? 0 : Double.compare(dx, dy);
    }
    return ((Comparable) a).compareTo(b);
  }
}
