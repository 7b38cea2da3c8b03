package io.neuralake.internal.plan;

import io.neuralake.frame.SortKey;
import java.util.List;
import java.util.stream.Collectors;

/** The logical plan as an indented tree, for explain output. */
public final class PlanPrinter {
  private PlanPrinter() {}

  /** One line: the top node. */
  public static String describe(PlanNode node) {
    return line(node);
  }

  public static String tree(PlanNode node) {
    StringBuilder sb = new StringBuilder();
    tree(node, 0, sb);
    return sb.toString();
  }

  private static void tree(PlanNode node, int depth, StringBuilder sb) {
    sb.append("  ".repeat(depth)).append(line(node)).append('\n');
    for (PlanNode child : childrenOf(node)) {
      tree(child, depth + 1, sb);
    }
  }

  public static List<PlanNode> childrenOf(PlanNode node) {
    return switch (node) {
      case PlanNode.Scan s -> List.of();
      case PlanNode.Values v -> List.of();
      case PlanNode.CatalogSql c -> List.of();
      case PlanNode.Filter f -> List.of(f.input());
      case PlanNode.Project p -> List.of(p.input());
      case PlanNode.WithColumns w -> List.of(w.input());
      case PlanNode.Join j -> List.of(j.left(), j.right());
      case PlanNode.Aggregate a -> List.of(a.input());
      case PlanNode.Sort s -> List.of(s.input());
      case PlanNode.Limit l -> List.of(l.input());
      case PlanNode.Distinct d -> List.of(d.input());
      case PlanNode.Union u -> u.inputs();
    };
  }

  private static String line(PlanNode node) {
    return switch (node) {
      case PlanNode.Scan s -> "Scan " + s.qualifiedName() + " (" + s.table().kind() + ")"
          + (s.options().filters().isEmpty() ? "" : " filters: " + s.options().filters())
          + (s.options().columns().isEmpty() ? "" : " columns: " + s.options().columns());
      case PlanNode.Values v -> "Values " + v.rowCount() + " rows " + v.frames().get(0).columnNames();
      case PlanNode.CatalogSql c -> "Sql " + c.sql().replaceAll("\\s+", " ");
      case PlanNode.Filter f -> "Filter " + f.predicate();
      case PlanNode.Project p -> "Select " + p.exprs();
      case PlanNode.WithColumns w -> "WithColumns " + w.exprs();
      case PlanNode.Join j -> "Join " + j.type() + " " + j.leftOn() + " = " + j.rightOn();
      case PlanNode.Aggregate a -> "Aggregate by " + a.keys() + " " + a.aggregates();
      case PlanNode.Sort s -> "Sort " + s.keys().stream().map(PlanPrinter::key).collect(Collectors.joining(", "));
      case PlanNode.Limit l -> "Limit " + l.limit() + (l.offset() > 0 ? " offset " + l.offset() : "");
      case PlanNode.Distinct d -> "Unique" + (d.subset().isEmpty() ? "" : " on " + d.subset());
      case PlanNode.Union u -> "Union by name (" + u.inputs().size() + " inputs)";
    };
  }

  private static String key(SortKey k) {
    return k.expr() + (k.descending() ? " desc" : "");
  }
}
