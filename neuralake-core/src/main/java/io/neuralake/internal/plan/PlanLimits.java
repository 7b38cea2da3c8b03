package io.neuralake.internal.plan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which table reads of a frame's plan need only their first rows: a limit (with its offset) over
 * a scan through nothing but projections of row-by-row expressions, which keep every row and
 * compute each from its own. A filter, sort, join, aggregate, distinct or union in between, or a
 * function call or raw SQL expression (an aggregate or a window may read every row) in a
 * projection, needs rows the limit does not count, so it stops the limit there; a scan read twice
 * in one plan gets none.
 */
public final class PlanLimits {
  private final Map<PlanNode.Scan, OptionalLong> byScan = new HashMap<>();
  private final Set<PlanNode.Scan> seen = new HashSet<>();
  private final Set<PlanNode.Scan> repeated = new HashSet<>();

  private PlanLimits() {}

  /** The scans under {@code root} that need only their first rows, with how many. */
  public static Map<PlanNode.Scan, OptionalLong> of(PlanNode root) {
    PlanLimits limits = new PlanLimits();
    limits.visit(root);
    limits.byScan.keySet().removeAll(limits.repeated);
    return Map.copyOf(limits.byScan);
  }

  private void visit(PlanNode node) {
    if (node instanceof PlanNode.Scan s && !seen.add(s)) {
      repeated.add(s);
    }
    if (node instanceof PlanNode.Limit l) {
      PlanNode below = l.input();
      while (rowByRow(below)) {
        below = below instanceof PlanNode.Project p ? p.input() : ((PlanNode.WithColumns) below).input();
      }
      if (below instanceof PlanNode.Scan s) {
        byScan.put(s, OptionalLong.of(Math.addExact(l.limit(), l.offset())));
      }
    }
    children(node).forEach(this::visit);
  }

  private static boolean rowByRow(PlanNode node) {
    java.util.List<io.neuralake.frame.Expr> exprs = switch (node) {
      case PlanNode.Project p -> p.exprs();
      case PlanNode.WithColumns w -> w.exprs();
      default -> null;
    };
    return exprs != null && exprs.stream().allMatch(PlanLimits::rowByRow);
  }

  /**
   * Whether the expression computes a row's value from that row alone: columns, literals and
   * operators. A function call may be an aggregate or a window ({@code Expr.call("sum", ...)}), and
   * raw SQL anything, so neither is.
   */
  private static boolean rowByRow(io.neuralake.frame.Expr e) {
    return switch (e) {
      case io.neuralake.frame.Expr.Column c -> true;
      case io.neuralake.frame.Expr.Literal l -> true;
      case io.neuralake.frame.Expr.Binary b -> rowByRow(b.left()) && rowByRow(b.right());
      case io.neuralake.frame.Expr.Not n -> rowByRow(n.expr());
      case io.neuralake.frame.Expr.IsNull n -> rowByRow(n.expr());
      case io.neuralake.frame.Expr.InList i -> rowByRow(i.expr());
      case io.neuralake.frame.Expr.Cast c -> rowByRow(c.expr());
      case io.neuralake.frame.Expr.Alias a -> rowByRow(a.expr());
      case io.neuralake.frame.Expr.Call c -> false;
      case io.neuralake.frame.Expr.Sql s -> false;
      case io.neuralake.frame.Expr.Aggregate a -> false;
    };
  }

  private static java.util.List<PlanNode> children(PlanNode node) {
    return switch (node) {
      case PlanNode.Scan s -> java.util.List.of();
      case PlanNode.Values v -> java.util.List.of();
      case PlanNode.CatalogSql c -> java.util.List.of();
      case PlanNode.Filter f -> java.util.List.of(f.input());
      case PlanNode.Project p -> java.util.List.of(p.input());
      case PlanNode.WithColumns w -> java.util.List.of(w.input());
      case PlanNode.Join j -> java.util.List.of(j.left(), j.right());
      case PlanNode.Aggregate a -> java.util.List.of(a.input());
      case PlanNode.Sort s -> java.util.List.of(s.input());
      case PlanNode.Limit l -> java.util.List.of(l.input());
      case PlanNode.Distinct d -> java.util.List.of(d.input());
      case PlanNode.Union u -> u.inputs();
    };
  }
}
