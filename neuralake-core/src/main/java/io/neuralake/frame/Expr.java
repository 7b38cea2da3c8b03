package io.neuralake.frame;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A column expression, as data: {@code Expr.col("p_retailprice").gt(20.0)}. Expressions are
 * immutable trees; frames translate them to SQL and the engine evaluates them vectorized.
 *
 * <p>An expression's output name is the name of the first column it uses (as polars names
 * them) unless it is given one with {@link #as(String)}.
 */
public sealed interface Expr {

  static Expr col(String name) {
    return new Column(name);
  }

  static Expr lit(Object value) {
    return new Literal(value);
  }

  /** {@code count(*)}: the number of rows (output name {@code count}). */
  static Expr countRows() {
    return new Aggregate(AggregateFunction.COUNT_ROWS, null);
  }

  /** A function of the engine by name: {@code Expr.call("upper", Expr.col("name"))}. */
  static Expr call(String function, Expr... args) {
    return new Call(function, List.of(args));
  }

  /** An SQL expression, for what the builder methods do not cover: {@code Expr.sql("a * 2 + b")}. */
  static Expr sql(String sqlText) {
    return new Sql(sqlText);
  }

  // ---- comparisons and logic

  default Expr eq(Object other) {
    return new Binary("=", this, wrap(other));
  }

  default Expr ne(Object other) {
    return new Binary("<>", this, wrap(other));
  }

  default Expr lt(Object other) {
    return new Binary("<", this, wrap(other));
  }

  default Expr le(Object other) {
    return new Binary("<=", this, wrap(other));
  }

  default Expr gt(Object other) {
    return new Binary(">", this, wrap(other));
  }

  default Expr ge(Object other) {
    return new Binary(">=", this, wrap(other));
  }

  default Expr and(Expr other) {
    return new Binary("AND", this, other);
  }

  default Expr or(Expr other) {
    return new Binary("OR", this, other);
  }

  default Expr not() {
    return new Not(this);
  }

  default Expr isNull() {
    return new IsNull(this, false);
  }

  default Expr isNotNull() {
    return new IsNull(this, true);
  }

  default Expr isIn(Collection<?> values) {
    return new InList(this, List.copyOf(values), false);
  }

  default Expr isIn(Object... values) {
    return isIn(Arrays.asList(values));
  }

  default Expr notIn(Collection<?> values) {
    return new InList(this, List.copyOf(values), true);
  }

  /** Substring match on a string. */
  default Expr contains(String substring) {
    return new Call("contains", List.of(this, lit(substring)));
  }

  default Expr startsWith(String prefix) {
    return new Call("starts_with", List.of(this, lit(prefix)));
  }

  // ---- arithmetic

  default Expr plus(Object other) {
    return new Binary("+", this, wrap(other));
  }

  default Expr minus(Object other) {
    return new Binary("-", this, wrap(other));
  }

  default Expr times(Object other) {
    return new Binary("*", this, wrap(other));
  }

  default Expr div(Object other) {
    return new Binary("/", this, wrap(other));
  }

  default Expr mod(Object other) {
    return new Binary("%", this, wrap(other));
  }

  default Expr cast(DataType type) {
    return new Cast(this, type);
  }

  /** Names the expression's output column. */
  default Expr as(String name) {
    Expr inner = this instanceof Alias a ? a.expr() : this;
    return new Alias(inner, name);
  }

  // ---- aggregates (for Frame.groupBy(...).agg(...))

  default Expr sum() {
    return new Aggregate(AggregateFunction.SUM, this);
  }

  default Expr mean() {
    return new Aggregate(AggregateFunction.MEAN, this);
  }

  default Expr min() {
    return new Aggregate(AggregateFunction.MIN, this);
  }

  default Expr max() {
    return new Aggregate(AggregateFunction.MAX, this);
  }

  /** Non-null values. */
  default Expr count() {
    return new Aggregate(AggregateFunction.COUNT, this);
  }

  /** Distinct non-null values. */
  default Expr nUnique() {
    return new Aggregate(AggregateFunction.COUNT_DISTINCT, this);
  }

  /** The first value in the group, in the order rows arrive. */
  default Expr first() {
    return new Aggregate(AggregateFunction.FIRST, this);
  }

  /** The last value in the group, in the order rows arrive. */
  default Expr last() {
    return new Aggregate(AggregateFunction.LAST, this);
  }

  // ---- introspection

  /** The output column name. */
  default String outputName() {
    return switch (this) {
      case Alias a -> a.name();
      case Aggregate a when a.function() == AggregateFunction.COUNT_ROWS -> "count";
      default -> columns().stream().findFirst().orElse("literal");
    };
  }

  /** The columns the expression reads, in order of first use. */
  default Set<String> columns() {
    Set<String> out = new LinkedHashSet<>();
    collectColumns(this, out);
    return out;
  }

  /** Whether the expression contains an aggregate. */
  default boolean isAggregate() {
    return switch (this) {
      case Aggregate a -> true;
      case Alias a -> a.expr().isAggregate();
      case Binary b -> b.left().isAggregate() || b.right().isAggregate();
      case Not n -> n.expr().isAggregate();
      case Cast c -> c.expr().isAggregate();
      case Call c -> c.args().stream().anyMatch(Expr::isAggregate);
      default -> false;
    };
  }

  private static void collectColumns(Expr e, Set<String> out) {
    switch (e) {
      case Column c -> out.add(c.name());
      case Literal l -> { }
      case Sql s -> { }
      case Binary b -> {
        collectColumns(b.left(), out);
        collectColumns(b.right(), out);
      }
      case Not n -> collectColumns(n.expr(), out);
      case IsNull n -> collectColumns(n.expr(), out);
      case InList i -> collectColumns(i.expr(), out);
      case Call c -> c.args().forEach(a -> collectColumns(a, out));
      case Cast c -> collectColumns(c.expr(), out);
      case Alias a -> collectColumns(a.expr(), out);
      case Aggregate a -> {
        if (a.arg() != null) {
          collectColumns(a.arg(), out);
        }
      }
    }
  }

  private static Expr wrap(Object value) {
    return value instanceof Expr e ? e : new Literal(value);
  }

  /** Splits an AND tree into its conjuncts. */
  static List<Expr> conjuncts(Expr e) {
    List<Expr> out = new ArrayList<>();
    if (e instanceof Binary b && b.op().equals("AND")) {
      out.addAll(conjuncts(b.left()));
      out.addAll(conjuncts(b.right()));
    } else {
      out.add(e);
    }
    return out;
  }

  // ---- the nodes

  record Column(String name) implements Expr {
    public Column {
      requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return "col(" + name + ")";
    }
  }

  record Literal(Object value) implements Expr {
    @Override
    public String toString() {
      return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
  }

  record Binary(String op, Expr left, Expr right) implements Expr {
    public Binary {
      requireNonNull(op, "op");
      requireNonNull(left, "left");
      requireNonNull(right, "right");
    }

    @Override
    public String toString() {
      return "(" + left + " " + op + " " + right + ")";
    }
  }

  record Not(Expr expr) implements Expr {
    @Override
    public String toString() {
      return "NOT " + expr;
    }
  }

  record IsNull(Expr expr, boolean negated) implements Expr {
    @Override
    public String toString() {
      return expr + (negated ? " IS NOT NULL" : " IS NULL");
    }
  }

  record InList(Expr expr, List<Object> values, boolean negated) implements Expr {
    public InList {
      values = List.copyOf(values);
    }

    @Override
    public String toString() {
      return expr + (negated ? " NOT IN " : " IN ") + values;
    }
  }

  record Call(String function, List<Expr> args) implements Expr {
    public Call {
      requireNonNull(function, "function");
      if (!function.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "'" + function + "' is not a function name");
      }
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      return function + args;
    }
  }

  record Cast(Expr expr, DataType type) implements Expr {
    @Override
    public String toString() {
      return expr + "::" + type;
    }
  }

  record Alias(Expr expr, String name) implements Expr {
    public Alias {
      requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return expr + " AS " + name;
    }
  }

  record Sql(String text) implements Expr {
    public Sql {
      requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return "sql(" + text + ")";
    }
  }

  record Aggregate(AggregateFunction function, Expr arg) implements Expr {
    @Override
    public String toString() {
      return function.name().toLowerCase() + "(" + (arg == null ? "*" : arg) + ")";
    }
  }

  /** The aggregates frames offer. */
  enum AggregateFunction {
    COUNT_ROWS, COUNT, COUNT_DISTINCT, SUM, MEAN, MIN, MAX, FIRST, LAST
  }
}
