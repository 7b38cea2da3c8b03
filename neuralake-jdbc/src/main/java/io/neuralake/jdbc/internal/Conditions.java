package io.neuralake.jdbc.internal;

import io.neuralake.filter.Operator;
import java.util.List;

/** The conditions standard SQL spells alike in every dialect: comparisons and {@code [NOT] IN}. */
final class Conditions {
  private Conditions() {}

  /** {@code column op parameter}, {@code column [NOT] IN (parameters)}, or null for the other operators. */
  static String comparison(Operator operator, String column, List<String> parameters) {
    return switch (operator) {
      case EQ -> column + " = " + parameters.get(0);
      case NE -> column + " <> " + parameters.get(0);
      case LT -> column + " < " + parameters.get(0);
      case LE -> column + " <= " + parameters.get(0);
      case GT -> column + " > " + parameters.get(0);
      case GE -> column + " >= " + parameters.get(0);
      case IN -> column + " IN (" + String.join(", ", parameters) + ")";
      case NOT_IN -> column + " NOT IN (" + String.join(", ", parameters) + ")";
      case CONTAINS, INCLUDES, INCLUDES_ANY, INCLUDES_ALL -> null;
    };
  }
}
