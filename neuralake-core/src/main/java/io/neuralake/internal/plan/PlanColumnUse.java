package io.neuralake.internal.plan;

import io.neuralake.frame.Expr;
import io.neuralake.frame.SortKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which columns each table read of a frame's plan can be asked for, walking down from the result:
 * a projection needs what its expressions read, a filter adds its predicate's columns, a join its
 * keys, and so on. Names are lower-cased; an empty answer means every column. It errs on the side
 * of more: a raw SQL expression, a {@code DISTINCT} over whole rows or a union of a scan with
 * itself read every column, and a join asks both sides for every name the result needs (and the
 * name a suffix was added to), so that the join's own naming is unchanged.
 */
public final class PlanColumnUse {
  private final Map<PlanNode.Scan, Optional<Set<String>>> byScan = new HashMap<>();

  private PlanColumnUse() {}

  /** The columns each scan under {@code root} is read for; a scan not in the map reads every column. */
  public static Map<PlanNode.Scan, Optional<Set<String>>> of(PlanNode root) {
    PlanColumnUse use = new PlanColumnUse();
    use.visit(root, Optional.empty());
    return Map.copyOf(use.byScan);
  }

  private void visit(PlanNode node, Optional<Set<String>> needed) {
    switch (node) {
      case PlanNode.Scan s -> byScan.merge(s, needed, PlanColumnUse::union);
      case PlanNode.Values v -> { }
      case PlanNode.CatalogSql c -> { }
      case PlanNode.Filter f -> visit(f.input(), plus(needed, List.of(f.predicate())));
      case PlanNode.Project p -> visit(p.input(), reads(p.exprs()));
      case PlanNode.WithColumns w -> {
        if (needed.isEmpty()) {
          visit(w.input(), needed);
        } else {
          Set<String> below = new HashSet<>(needed.get());
          w.exprs().forEach(e -> below.remove(lower(e.outputName())));
          visit(w.input(), plus(Optional.of(below), w.exprs()));
        }
      }
      case PlanNode.Join j -> {
        Optional<Set<String>> both = needed.map(n -> withoutSuffixes(n, lower(j.suffix())));
        visit(j.left(), plusNames(both, j.leftOn()));
        visit(j.right(), plusNames(both, j.rightOn()));
      }
      case PlanNode.Aggregate a -> {
        Optional<Set<String>> keys = reads(a.keys());
        visit(a.input(), keys.isEmpty() ? keys : plus(keys, a.aggregates()));
      }
      case PlanNode.Sort s -> visit(s.input(), plus(needed, s.keys().stream().map(SortKey::expr).toList()));
      case PlanNode.Limit l -> visit(l.input(), needed);
      case PlanNode.Distinct d -> visit(d.input(), d.subset().isEmpty() ? Optional.empty() : plusNames(needed, d.subset()));
      case PlanNode.Union u -> u.inputs().forEach(i -> visit(i, needed));
    }
  }

  /** The columns the expressions read; every column if one is raw SQL, whose columns are unknown. */
  private static Optional<Set<String>> reads(List<Expr> exprs) {
    return plus(Optional.of(Set.of()), exprs);
  }

  private static Optional<Set<String>> plus(Optional<Set<String>> needed, List<Expr> exprs) {
    if (needed.isEmpty() || exprs.stream().anyMatch(PlanColumnUse::hasSql)) {
      return Optional.empty();
    }
    Set<String> out = new HashSet<>(needed.get());
    exprs.forEach(e -> e.columns().forEach(c -> out.add(lower(c))));
    return Optional.of(out);
  }

  private static Optional<Set<String>> plusNames(Optional<Set<String>> needed, Collection<String> names) {
    return needed.map(n -> {
      Set<String> out = new HashSet<>(n);
      names.forEach(c -> out.add(lower(c)));
      return out;
    });
  }

  /** The names, and each with the join's suffix taken off as often as it ends with it. */
  private static Set<String> withoutSuffixes(Set<String> names, String suffix) {
    Set<String> out = new HashSet<>(names);
    for (String name : names) {
      String base = name;
      while (!suffix.isEmpty() && base.endsWith(suffix) && base.length() > suffix.length()) {
        base = base.substring(0, base.length() - suffix.length());
        out.add(base);
      }
    }
    return out;
  }

  /** Whether the expression holds raw SQL, whose columns and meaning are unknown here. */
  static boolean hasSql(Expr e) {
    return switch (e) {
      case Expr.Sql s -> true;
      case Expr.Binary b -> hasSql(b.left()) || hasSql(b.right());
      case Expr.Not n -> hasSql(n.expr());
      case Expr.IsNull n -> hasSql(n.expr());
      case Expr.InList i -> hasSql(i.expr());
      case Expr.Call c -> c.args().stream().anyMatch(PlanColumnUse::hasSql);
      case Expr.Cast c -> hasSql(c.expr());
      case Expr.Alias a -> hasSql(a.expr());
      case Expr.Aggregate a -> a.arg() != null && hasSql(a.arg());
      case Expr.Column c -> false;
      case Expr.Literal l -> false;
    };
  }

  private static Optional<Set<String>> union(Optional<Set<String>> a, Optional<Set<String>> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Optional.empty();
    }
    Set<String> out = new HashSet<>(a.get());
    out.addAll(b.get());
    return Optional.of(out);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
