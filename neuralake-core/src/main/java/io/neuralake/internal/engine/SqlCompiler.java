package io.neuralake.internal.engine;

import static io.neuralake.types.Identifiers.quote;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Expr;
import io.neuralake.frame.JoinType;
import io.neuralake.frame.SortKey;
import io.neuralake.internal.plan.Frames;
import io.neuralake.internal.plan.PlanColumnUse;
import io.neuralake.internal.plan.PlanLimits;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.internal.plan.PredicateConverter;
import io.neuralake.internal.sql.ExprSql;
import io.neuralake.internal.sql.FilterSql;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a plan into one DuckDB query. On the way down it carries the predicates of filter
 * nodes to the scans below them (through nodes that keep those columns intact), where tables use
 * them to prune partitions and files. Pruning never replaces a filter: every predicate is still
 * applied in the query, so pushdown changes only how much is read.
 */
public final class SqlCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(SqlCompiler.class);

  private final Session session;
  private final List<String> scanReports = new ArrayList<>();
  /** The columns each scan of the compiled frame is read for (a scan not in it: every column). */
  private Map<PlanNode.Scan, Optional<Set<String>>> columnUse = Map.of();
  /** The rows each scan of the compiled frame is read for, where a limit right above it says. */
  private Map<PlanNode.Scan, OptionalLong> limits = Map.of();

  public SqlCompiler(Session session) {
    this.session = session;
  }

  public String compile(PlanNode node) {
    columnUse = PlanColumnUse.of(node);
    limits = PlanLimits.of(node);
    return compile(node, List.of());
  }

  /** One line per table read: what planning kept and what it pruned. */
  public List<String> scanReports() {
    return List.copyOf(scanReports);
  }

  /** The files in local folders the compiled query reads, each with the table it belongs to. */
  public Map<Path, String> filesRead() {
    return session.filesRead();
  }

  String compile(PlanNode node, List<Expr> pending) {
    return switch (node) {
      case PlanNode.Scan s -> scan(s, PredicateConverter.toFilters(pending), columnUse.getOrDefault(s, Optional.empty()),
          pending.isEmpty() ? limits.getOrDefault(s, OptionalLong.empty()) : OptionalLong.empty());
      case PlanNode.Values v -> "SELECT * FROM " + session.register(v.frames());
      case PlanNode.CatalogSql c -> new SqlRewriter(session, c.catalog(), this).rewrite(c.sql());
      case PlanNode.Filter f -> {
        List<Expr> more = new ArrayList<>(pending);
        more.addAll(Expr.conjuncts(f.predicate()));
        yield "SELECT * FROM (" + compile(f.input(), more) + ") WHERE " + ExprSql.render(f.predicate());
      }
      case PlanNode.Project p -> {
        Set<String> passthrough = new HashSet<>();
        for (Expr e : p.exprs()) {
          Expr inner = e instanceof Expr.Alias a ? a.expr() : e;
          if (inner instanceof Expr.Column c && c.name().equals(e.outputName())) {
            passthrough.add(c.name());
          }
        }
        String input = compile(p.input(), onlyColumns(pending, passthrough));
        yield "SELECT " + p.exprs().stream().map(ExprSql::named).collect(Collectors.joining(", ")) + " FROM (" + input + ")";
      }
      case PlanNode.WithColumns w -> withColumns(w, pending);
      case PlanNode.Join j -> join(j, pending);
      case PlanNode.Aggregate a -> aggregate(a, pending);
      case PlanNode.Sort s -> "SELECT * FROM (" + compile(s.input(), pending) + ") ORDER BY " + orderBy(s.keys());
      case PlanNode.Limit l -> limit(l);
      case PlanNode.Distinct d -> d.subset().isEmpty()
          ? "SELECT DISTINCT * FROM (" + compile(d.input(), pending) + ")"
          : "SELECT DISTINCT ON (" + d.subset().stream().map(c -> quote(c)).collect(Collectors.joining(", ")) + ") * FROM ("
              + compile(d.input(), List.of()) + ")";
      case PlanNode.Union u -> u.inputs().stream().map(i -> "(" + compile(i, pending) + ")")
          .collect(Collectors.joining(" UNION ALL BY NAME "));
    };
  }

  /** A table read: planning (pruning), then the table's own filters and columns. */
  String scan(PlanNode.Scan scan, Filters pruning) {
    return scan(scan, pruning, Optional.empty(), OptionalLong.empty());
  }

  /**
   * A table read of which the query uses at most the columns named in {@code used} (lower-cased;
   * empty: any column) and, if {@code limit} is given, only that many rows of those matching the
   * read's own filters and {@code pruning}: a stream that can read less is narrowed to that.
   */
  String scan(PlanNode.Scan scan, Filters pruning, Optional<Set<String>> used, OptionalLong limit) {
    var table = scan.table();
    if (table.metadata().isDeprecated()) {
      LOG.warn("table {} is deprecated: {}", scan.qualifiedName(), table.metadata().deprecated());
    }
    ReadOptions options = scan.options();
    ScanPlan plan;
    try {
      plan = table.plan(options, pruning, scan.context());
    } catch (IOException e) {
      throw new UncheckedIOException("table " + scan.qualifiedName() + ": " + e.getMessage(), e);
    }
    if (plan instanceof ScanPlan.OfArrow arrow) {
      List<String> columns = used.map(u -> usedColumns(arrow.schema(), u, options, pruning))
          .orElse(arrow.schema().names());
      plan = arrow.narrowedTo(new ScanPlan.Narrowing(columns, limit));
    }
    String sql = switch (plan) {
      // files and streams are named by views that ScanInputs.prepare replaces just before the query runs
      case ScanPlan.Files files -> ScanInputs.declare(session, scan.qualifiedName(), files);
      case ScanPlan.OfArrow arrow -> ScanInputs.declare(session, scan.qualifiedName(), arrow);
      case ScanPlan.OfFrame f -> compile(Frames.plan(f.frame()), List.of());
    };
    scanReports.add(scan.qualifiedName() + " (" + table.kind() + "): " + plan.stats()
        + (pruning.isEmpty() ? "" : "; pruning with " + pruning));
    if (options.filters().isEmpty() && options.columns().isEmpty()) {
      return sql;
    }
    Schema schema = session.describe(sql);
    if (!options.filters().isEmpty()) {
      sql = "SELECT * FROM (" + sql + ") WHERE " + FilterSql.render(scan.qualifiedName(), options.filters(), schema);
    }
    if (!options.columns().isEmpty()) {
      for (String c : options.columns()) {
        if (!schema.contains(c)) {
          throw new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND,
              "table " + scan.qualifiedName() + " has no column '" + c
              + "'; its columns are: " + String.join(", ", schema.names()));
        }
      }
      sql = "SELECT " + options.columns().stream().map(c -> quote(c)).collect(Collectors.joining(", "))
          + " FROM (" + sql + ")";
    }
    return sql;
  }

  /**
   * The schema's columns a read must return: those the query may use, those the read's own
   * filters and columns name, and at least one (a count still needs rows).
   */
  private static List<String> usedColumns(Schema schema, Set<String> used, ReadOptions options, Filters pruning) {
    Set<String> needed = new HashSet<>(used);
    options.columns().forEach(c -> needed.add(c.toLowerCase(Locale.ROOT)));
    for (Filters f : List.of(options.filters(), pruning)) {
      f.disjuncts().forEach(conjunction -> conjunction.forEach(c -> needed.add(c.column().toLowerCase(Locale.ROOT))));
    }
    List<String> columns = schema.names().stream().filter(n -> needed.contains(n.toLowerCase(Locale.ROOT))).toList();
    return columns.isEmpty() ? schema.names().subList(0, Math.min(1, schema.names().size())) : columns;
  }

  private String withColumns(PlanNode.WithColumns w, List<Expr> pending) {
    Set<String> changed = new HashSet<>();
    w.exprs().forEach(e -> changed.add(e.outputName()));
    List<Expr> pass = pending.stream().filter(p -> p.columns().stream().noneMatch(changed::contains)).toList();
    String input = compile(w.input(), pass);
    Schema schema = session.describe(input);
    List<String> select = new ArrayList<>();
    Set<String> replaced = new HashSet<>();
    for (String c : schema.names()) {
      Expr replacement = w.exprs().stream().filter(e -> e.outputName().equals(c)).reduce((a, b) -> b).orElse(null);
      if (replacement != null) {
        replaced.add(c);
        select.add(ExprSql.render(replacement) + " AS " + quote(c));
      } else {
        select.add(quote(c));
      }
    }
    Set<String> added = new HashSet<>();
    for (Expr e : w.exprs()) {
      if (!replaced.contains(e.outputName()) && added.add(e.outputName())) {
        select.add(ExprSql.render(e) + " AS " + quote(e.outputName()));
      }
    }
    return "SELECT " + String.join(", ", select) + " FROM (" + input + ")";
  }

  private String join(PlanNode.Join j, List<Expr> pending) {
    JoinType type = j.type();
    boolean leftKept = type == JoinType.INNER || type == JoinType.LEFT || type == JoinType.SEMI || type == JoinType.ANTI;
    boolean rightKept = type == JoinType.INNER || type == JoinType.RIGHT;
    String left = compile(j.left(), leftKept ? pending : List.of());
    Schema leftSchema = session.describe(left);

    Set<String> sameNameKeys = new HashSet<>();
    for (int i = 0; i < j.leftOn().size(); i++) {
      if (j.leftOn().get(i).equals(j.rightOn().get(i))) {
        sameNameKeys.add(j.leftOn().get(i));
      }
    }
    // a predicate above the join names the left column where both sides have one; only
    // predicates on right-only columns (or equal keys) describe the right side
    List<Expr> rightPending = !rightKept ? List.of() : pending.stream()
        .filter(p -> p.columns().stream().allMatch(c -> !leftSchema.contains(c) || sameNameKeys.contains(c)))
        .toList();
    String right = compile(j.right(), rightPending);
    Schema rightSchema = session.describe(right);

    List<String> on = new ArrayList<>();
    for (int i = 0; i < j.leftOn().size(); i++) {
      String lk = j.leftOn().get(i);
      String rk = j.rightOn().get(i);
      requireColumn(leftSchema, lk, "left");
      requireColumn(rightSchema, rk, "right");
      on.add("l." + quote(lk) + " = r." + quote(rk));
    }
    String from = " FROM (" + left + ") AS l " + switch (type) {
      case INNER -> "INNER";
      case LEFT -> "LEFT";
      case RIGHT -> "RIGHT";
      case FULL -> "FULL OUTER";
      case SEMI -> "SEMI";
      case ANTI -> "ANTI";
    } + " JOIN (" + right + ") AS r ON " + String.join(" AND ", on);
    if (type == JoinType.SEMI || type == JoinType.ANTI) {
      return "SELECT l.*" + from;
    }

    List<String> select = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String c : leftSchema.names()) {
      boolean coalesce = sameNameKeys.contains(c) && (type == JoinType.RIGHT || type == JoinType.FULL);
      select.add(coalesce ? "COALESCE(l." + quote(c) + ", r." + quote(c) + ") AS " + quote(c) : "l." + quote(c));
      names.add(c);
    }
    for (String c : rightSchema.names()) {
      if (sameNameKeys.contains(c)) {
        continue;
      }
      String name = c;
      while (names.contains(name)) {
        name = name + j.suffix();
      }
      names.add(name);
      select.add("r." + quote(c) + (name.equals(c) ? "" : " AS " + quote(name)));
    }
    return "SELECT " + String.join(", ", select) + from;
  }

  private String aggregate(PlanNode.Aggregate a, List<Expr> pending) {
    Set<String> keyColumns = new HashSet<>();
    for (Expr k : a.keys()) {
      if (k instanceof Expr.Column c) {
        keyColumns.add(c.name());
      }
    }
    String input = compile(a.input(), onlyColumns(pending, keyColumns));
    List<String> select = new ArrayList<>();
    a.keys().forEach(k -> select.add(ExprSql.named(k)));
    a.aggregates().forEach(e -> select.add(ExprSql.named(e)));
    String sql = "SELECT " + String.join(", ", select) + " FROM (" + input + ")";
    if (!a.keys().isEmpty()) {
      List<String> positions = new ArrayList<>();
      for (int i = 1; i <= a.keys().size(); i++) {
        positions.add(Integer.toString(i));
      }
      sql += " GROUP BY " + String.join(", ", positions);
    }
    return sql;
  }

  private String limit(PlanNode.Limit l) {
    String tail = " LIMIT " + l.limit() + (l.offset() > 0 ? " OFFSET " + l.offset() : "");
    // ORDER BY and LIMIT in one SELECT: the limit then takes the first rows of the sort order
    if (l.input() instanceof PlanNode.Sort s) {
      return "SELECT * FROM (" + compile(s.input(), List.of()) + ") ORDER BY " + orderBy(s.keys()) + tail;
    }
    return "SELECT * FROM (" + compile(l.input(), List.of()) + ")" + tail;
  }

  private static String orderBy(List<SortKey> keys) {
    return keys.stream().map(k -> ExprSql.render(k.expr()) + (k.descending() ? " DESC" : " ASC") + " NULLS LAST")
        .collect(Collectors.joining(", "));
  }

  private static List<Expr> onlyColumns(List<Expr> pending, Set<String> allowed) {
    return pending.stream().filter(p -> allowed.containsAll(p.columns()) && !p.columns().isEmpty()).toList();
  }

  private static void requireColumn(Schema schema, String column, String side) {
    if (!schema.contains(column)) {
      throw new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND,
          "join key '" + column + "' is not a column of the " + side
          + " frame; its columns are: " + String.join(", ", schema.names()));
    }
  }
}
