package io.neuralake.internal.scan;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Operator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y); // as the engine orders BLOBs
    }
    if (a instanceof BigDecimal || b instanceof BigDecimal) {
      Optional<BigDecimal> x = exact(a);
      Optional<BigDecimal> y = exact(b);
      if (x.isPresent() && y.isPresent()) {
        // a decimal of 38 digits does not survive a trip through double
        return x.get().compareTo(y.get());
      }
    }
    if (a instanceof Number x && b instanceof Number y && (a.getClass() != b.getClass() || a instanceof Double)) {
      double dx = x.doubleValue();
      double dy = y.doubleValue();
      // as in the engine: -0.0 equals 0.0 (Double.compare orders them), NaN equals NaN and sorts last
      return dx == dy ? 0 : Double.compare(dx, dy);
    }
    return ((Comparable) a).compareTo(b);
  }

  private static Optional<BigDecimal> exact(Object n) {
    return switch (n) {
      case BigDecimal d -> Optional.of(d);
      case Long l -> Optional.of(BigDecimal.valueOf(l));
      case Integer i -> Optional.of(BigDecimal.valueOf(i));
      case BigInteger b -> Optional.of(new BigDecimal(b));
      case Double d when Double.isFinite(d) -> Optional.of(BigDecimal.valueOf(d));
      default -> Optional.empty();
    };
  }
}
