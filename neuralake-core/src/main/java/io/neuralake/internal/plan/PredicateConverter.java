package io.neuralake.internal.plan;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.filter.Operator;
import io.neuralake.frame.Expr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Turns frame predicates into catalog filters that tables can prune with. Only what converts
 * exactly is kept; a conjunct that does not convert is dropped, which only weakens the pruning
 * filter (the engine still applies the full predicate).
 */
public final class PredicateConverter {
  /**
   * Bounds the size of OR expansions into disjunctive normal form: AND distributes over OR, so k
   * conjuncts of n alternatives each would make n^k conjunctions.
   */
  public static final int MAX_DISJUNCTS = 64;

  private PredicateConverter() {}

  public static Filters toFilters(List<Expr> conjuncts) {
    Filters out = Filters.none();
    for (Expr e : conjuncts) {
      Filters f = convert(e);
      if (f != null) {
        out = and(out, f);
      }
    }
    return out;
  }

  /**
   * Both pruning filters, in disjunctive normal form while that stays within {@link #MAX_DISJUNCTS};
   * past it, {@code acc} alone (dropping a conjunct only weakens a pruning filter).
   */
  public static Filters and(Filters acc, Filters next) {
    if ((long) Math.max(1, acc.disjuncts().size()) * Math.max(1, next.disjuncts().size()) > MAX_DISJUNCTS) {
      return acc; // checked before expanding: the product itself can be too big to build
    }
    return acc.and(next);
  }

  /** The expression as DNF filters, or null if any part of it does not convert. */
  private static Filters convert(Expr e) {
    return switch (e) {
      case Expr.Binary b when b.op().equals("AND") -> {
        Filters l = convert(b.left());
        Filters r = convert(b.right());
        // an unconvertible side of AND can be dropped (weaker); of OR it cannot
        if (l == null) {
          yield r;
        }
        if (r == null) {
          yield l;
        }
        yield and(l, r);
      }
      case Expr.Binary b when b.op().equals("OR") -> {
        Filters l = convert(b.left());
        Filters r = convert(b.right());
        if (l == null || r == null || l.isEmpty() || r.isEmpty()) {
          yield null;
        }
        List<List<Filter>> d = new ArrayList<>(l.disjuncts());
        d.addAll(r.disjuncts());
        yield d.size() <= MAX_DISJUNCTS ? Filters.anyOf(d) : null;
      }
      case Expr.Binary b -> comparison(b);
      // (an immutable list's contains(null) throws: test for nulls by looking)
      case Expr.InList i when i.expr() instanceof Expr.Column c && i.values().stream().noneMatch(Objects::isNull) ->
          single(new Filter(c.name(), i.negated() ? Operator.NOT_IN : Operator.IN, i.values()));
      case Expr.Call c when c.args().size() == 2 && c.args().get(0) instanceof Expr.Column col
          && c.args().get(1) instanceof Expr.Literal lit && lit.value() != null -> switch (c.function()) {
            case "contains" -> lit.value() instanceof String ? single(new Filter(col.name(), Operator.CONTAINS, lit.value())) : null;
            case "list_contains" -> lit.value() instanceof Collection<?> ? null : single(new Filter(col.name(), Operator.INCLUDES, lit.value()));
            case "list_has_any" -> lit.value() instanceof Collection<?> ? single(new Filter(col.name(), Operator.INCLUDES_ANY, lit.value())) : null;
            case "list_has_all" -> lit.value() instanceof Collection<?> ? single(new Filter(col.name(), Operator.INCLUDES_ALL, lit.value())) : null;
            default -> null;
          };
      default -> null;
    };
  }

  private static Filters comparison(Expr.Binary b) {
    Operator op = operator(b.op());
    if (op == null) {
      return null;
    }
    if (b.left() instanceof Expr.Column c && b.right() instanceof Expr.Literal l && isScalar(l.value())) {
      return single(new Filter(c.name(), op, l.value()));
    }
    if (b.right() instanceof Expr.Column c && b.left() instanceof Expr.Literal l && isScalar(l.value())) {
      return single(new Filter(c.name(), op.mirrored(), l.value()));
    }
    return null;
  }

  private static boolean isScalar(Object v) {
    return v != null && !(v instanceof Collection<?>) && !v.getClass().isArray();
  }

  static Operator operator(String sqlOp) {
    return switch (sqlOp) {
      case "=" -> Operator.EQ;
      case "<>", "!=" -> Operator.NE;
      case "<" -> Operator.LT;
      case "<=" -> Operator.LE;
      case ">" -> Operator.GT;
      case ">=" -> Operator.GE;
      default -> null;
    };
  }


  private static Filters single(Filter f) {
    return Filters.all(f);
  }
}
