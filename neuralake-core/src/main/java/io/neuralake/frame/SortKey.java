package io.neuralake.frame;

import static java.util.Objects.requireNonNull;

/** One sort criterion. Nulls sort last, as in SQL engines. */
public record SortKey(Expr expr, boolean descending) {
  public SortKey {
    requireNonNull(expr, "expr");
  }

  public static SortKey asc(String column) {
    return new SortKey(Expr.col(column), false);
  }

  public static SortKey desc(String column) {
    return new SortKey(Expr.col(column), true);
  }
}
