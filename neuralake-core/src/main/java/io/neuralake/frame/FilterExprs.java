package io.neuralake.frame;

import io.neuralake.filter.Filter;

/** Catalog filters as frame expressions. */
final class FilterExprs {
  private FilterExprs() {}

  static Expr of(Filter f) {
    Expr c = Expr.col(f.column());
    return switch (f.operator()) {
      case EQ -> c.eq(Expr.lit(f.value()));
      case NE -> c.ne(Expr.lit(f.value()));
      case LT -> c.lt(Expr.lit(f.value()));
      case LE -> c.le(Expr.lit(f.value()));
      case GT -> c.gt(Expr.lit(f.value()));
      case GE -> c.ge(Expr.lit(f.value()));
      case IN -> c.isIn(f.values());
      case NOT_IN -> c.notIn(f.values());
      case CONTAINS -> c.contains((String) f.value());
      case INCLUDES -> Expr.call("list_contains", c, Expr.lit(f.value()));
      case INCLUDES_ANY -> Expr.call("list_has_any", c, Expr.lit(f.values()));
      case INCLUDES_ALL -> Expr.call("list_has_all", c, Expr.lit(f.values()));
    };
  }
}
