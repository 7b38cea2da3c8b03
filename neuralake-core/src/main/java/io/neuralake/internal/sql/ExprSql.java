package io.neuralake.internal.sql;

import static io.neuralake.types.Identifiers.quote;

import io.neuralake.frame.Expr;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders frame expressions as DuckDB SQL. */
public final class ExprSql {
  private ExprSql() {}

  /** The expression, without its alias. */
  public static String render(Expr e) {
    return switch (e) {
      case Expr.Column c -> quote(c.name());
      case Expr.Literal l -> SqlLiterals.of(l.value());
      case Expr.Binary b -> "(" + render(b.left()) + " " + b.op() + " " + render(b.right()) + ")";
      case Expr.Not n -> "(NOT " + render(n.expr()) + ")";
      case Expr.IsNull n -> "(" + render(n.expr()) + (n.negated() ? " IS NOT NULL)" : " IS NULL)");
      case Expr.InList i -> i.values().isEmpty()
          ? (i.negated() ? "TRUE" : "FALSE")
          : "(" + render(i.expr()) + (i.negated() ? " NOT IN (" : " IN (")
              + i.values().stream().map(SqlLiterals::of).collect(Collectors.joining(", ")) + "))";
      case Expr.Call c -> c.function() + "(" + c.args().stream().map(ExprSql::render).collect(Collectors.joining(", ")) + ")";
      case Expr.Cast c -> "CAST(" + render(c.expr()) + " AS " + c.type().sqlName() + ")";
      case Expr.Alias a -> render(a.expr());
      case Expr.Sql s -> "(" + s.text() + ")";
      case Expr.Aggregate a -> aggregate(a);
    };
  }

  /** The expression with its output name: {@code expr AS "name"}. */
  public static String named(Expr e) {
    String sql = render(e);
    String name = e.outputName();
    if (e instanceof Expr.Column c && c.name().equals(name)) {
      return sql;
    }
    return sql + " AS " + quote(name);
  }

  private static String aggregate(Expr.Aggregate a) {
    String arg = a.arg() == null ? "*" : render(a.arg());
    return switch (a.function()) {
      case COUNT_ROWS -> "count(*)";
      case COUNT -> "count(" + arg + ")";
      case COUNT_DISTINCT -> "count(DISTINCT " + arg + ")";
      case SUM -> "sum(" + arg + ")";
      case MEAN -> "avg(" + arg + ")";
      case MIN -> "min(" + arg + ")";
      case MAX -> "max(" + arg + ")";
      // first/last keep nulls, as polars does; DuckDB's first() does too
      case FIRST -> "first(" + arg + ")";
      case LAST -> "last(" + arg + ")";
    };
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
