package io.neuralake.spark.internal;

import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.types.DataType;
import io.neuralake.types.Schema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.aggregate.Max;
import org.apache.spark.sql.connector.expressions.aggregate.Min;
import org.apache.spark.sql.connector.expressions.aggregate.Sum;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A {@code GROUP BY} with its aggregates pushed into a scan, computed by the engine over each input
 * partition's rows, where they are read; Spark then merges the partial results (sums of counts,
 * minimums of minimums). Only aggregates whose result does not depend on the order rows are
 * combined in are taken: grouping by columns, {@code count}, {@code sum} of integer columns (as a
 * {@code bigint}; an overflow is an error, as under Spark's default ANSI mode), {@code min} and
 * {@code max} of columns.
 * Floating-point sums stay with Spark: the engine adds rows in parallel in a varying order, so two
 * evaluations of one sum could differ in their last bits, and queries comparing sums for equality
 * (TPC-H Q15) would lose rows. Anything else leaves the aggregation to Spark.
 *
 * @param groupBy the grouping columns
 * @param aggregates the aggregates, in Spark's order
 */
public record PushedAggregation(List<String> groupBy, List<Aggregate> aggregates) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One aggregate: {@code count(*)} (no column), {@code count}, {@code sum}, {@code min} or {@code max} of a column. */
  public record Aggregate(String function, String column, String type) implements Serializable {
    private static final long serialVersionUID = 1L;

    Expr expr() {
      Expr out = switch (function) {
        case "count_star" -> Expr.countRows();
        case "count" -> Expr.col(column).count();
        case "sum" -> Expr.col(column).sum();
        case "min" -> Expr.col(column).min();
        case "max" -> Expr.col(column).max();
        default -> throw new IllegalStateException("not a pushed aggregate: " + function);
      };
      return out.cast(DataType.parse(type));
    }

    @Override
    public String toString() {
      return function.equals("count_star") ? "count(*)" : function + "(" + column + ")";
    }
  }

  /** The aggregation as the engine computes it exactly, or empty when any part of it stays with Spark. */
  public static Optional<PushedAggregation> of(Aggregation aggregation, Schema schema) {
    List<String> keys = new ArrayList<>();
    for (Expression e : aggregation.groupByExpressions()) {
      String column = column(e, schema);
      if (column == null || !(schema.field(column).type() instanceof DataType.Primitive)) {
        return Optional.empty();
      }
      keys.add(column);
    }
    List<Aggregate> out = new ArrayList<>();
    for (AggregateFunc f : aggregation.aggregateExpressions()) {
      Aggregate a = aggregate(f, schema);
      if (a == null) {
        return Optional.empty();
      }
      out.add(a);
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(new PushedAggregation(List.copyOf(keys), List.copyOf(out)));
  }

  private static Aggregate aggregate(AggregateFunc f, Schema schema) {
    return switch (f) {
      case CountStar c -> new Aggregate("count_star", null, DataType.INT64.typeName());
      case Count c when !c.isDistinct() -> {
        String column = column(c.column(), schema);
        yield column == null ? null : new Aggregate("count", column, DataType.INT64.typeName());
      }
      case Sum s when !s.isDistinct() -> {
        String column = column(s.column(), schema);
        yield column == null || !integer(schema.field(column).type()) ? null
            : new Aggregate("sum", column, DataType.INT64.typeName());
      }
      case Min m -> extreme("min", m.column(), schema);
      case Max m -> extreme("max", m.column(), schema);
      default -> null;
    };
  }

  private static Aggregate extreme(String function, Expression e, Schema schema) {
    String column = column(e, schema);
    if (column == null || !(schema.field(column).type() instanceof DataType.Primitive p)) {
      return null;
    }
    return new Aggregate(function, column, p.typeName());
  }

  /** The top-level column a reference names, if the table has it as a type Spark reads as it is. */
  private static String column(Expression e, Schema schema) {
    if (!(e instanceof NamedReference r) || r.fieldNames().length != 1 || !schema.contains(r.fieldNames()[0])) {
      return null;
    }
    DataType type = schema.field(r.fieldNames()[0]).type();
    return SparkTypes.readable(type).equals(type) ? r.fieldNames()[0] : null;
  }

  private static boolean integer(DataType t) {
    return t.equals(DataType.INT8) || t.equals(DataType.INT16) || t.equals(DataType.INT32) || t.equals(DataType.INT64);
  }

  /** The grouped and aggregated rows of a partition's frame: the keys, then each aggregate, as the scan's schema says. */
  public Frame apply(Frame frame) {
    Expr[] aggs = new Expr[aggregates.size()];
    for (int i = 0; i < aggs.length; i++) {
      aggs[i] = aggregates.get(i).expr().as("_agg" + i);
    }
    return groupBy.isEmpty() ? frame.agg(aggs) : frame.groupBy(groupBy.toArray(String[]::new)).agg(aggs);
  }

  /** The scan's output: the grouping columns, then one column per aggregate. */
  public StructType sparkSchema(Schema table) {
    List<StructField> fields = new ArrayList<>();
    for (String k : groupBy) {
      fields.add(new StructField(k, SparkTypes.type(table.field(k).type()), true,
          org.apache.spark.sql.types.Metadata.empty()));
    }
    for (int i = 0; i < aggregates.size(); i++) {
      fields.add(new StructField("_agg" + i, SparkTypes.type(DataType.parse(aggregates.get(i).type())), true,
          org.apache.spark.sql.types.Metadata.empty()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  @Override
  public String toString() {
    return aggregates.stream().map(Aggregate::toString).collect(Collectors.joining(", "))
        + (groupBy.isEmpty() ? "" : " group by " + String.join(", ", groupBy));
  }
}
