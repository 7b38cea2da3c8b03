package io.neuralake.frame;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.internal.engine.Execution;
import io.neuralake.internal.plan.Frames;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.query.Query;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A lazy query: a plan of reads and transformations that runs only when collected. Filters and
 * column selections are pushed into the table reads first, so partitions, files and row groups
 * that cannot match are never read.
 *
 * <pre>{@code
 * DataFrame df = catalog.db("tpch").table("part")
 *     .join(catalog.db("tpch").table("supplier"), "p_partkey", "s_suppkey")
 *     .filter(Expr.col("p_retailprice").gt(20.0))
 *     .select("p_name", "s_name")
 *     .collect();
 * }</pre>
 *
 * Frames are immutable; every method returns a new frame.
 */
public final class Frame {
  static {
    // the catalog and the engine reach plans through the internals' accessor, not a public member
    Frames.register(new Frames.Access() {
      @Override
      public Frame frame(PlanNode plan) {
        return new Frame(plan);
      }

      @Override
      public PlanNode plan(Frame frame) {
        return frame.plan;
      }
    });
  }

  private final PlanNode plan;

  /** Users build frames from tables, data or SQL; internals from a plan through {@link Frames}. */
  Frame(PlanNode plan) {
    this.plan = requireNonNull(plan, "plan");
  }

  // ---- sources

  public static Frame of(DataFrame data) {
    return new Frame(new PlanNode.Values(data));
  }

  /**
   * Frames of one schema read as one table (no copy, no union): how a writer hands the engine
   * many small buffered appends at once.
   */
  public static Frame concat(List<DataFrame> frames) {
    return new Frame(new PlanNode.Values(frames));
  }

  /** A frame from columns of Java values (see {@link DataFrame#fromColumns(Map)} for column order). */
  public static Frame fromColumns(Map<String, ? extends List<?>> columns) {
    return of(DataFrame.fromColumns(columns));
  }

  public static Frame fromRows(List<? extends Map<String, ?>> rows) {
    return of(DataFrame.fromRows(rows));
  }

  public static <R extends Record> Frame fromRecords(Class<R> type, List<R> records) {
    return of(DataFrame.fromRecords(type, records));
  }

  // ---- transformations

  /** Rows where the predicate is true. */
  public Frame filter(Expr predicate) {
    return new Frame(new PlanNode.Filter(plan, requireNonNull(predicate, "predicate")));
  }

  /** Rows matching all of these catalog filters. */
  public Frame filter(Filter... filters) {
    Expr all = null;
    for (Filter f : filters) {
      Expr e = FilterExprs.of(f);
      all = all == null ? e : all.and(e);
    }
    return all == null ? this : filter(all);
  }

  public Frame select(String... columns) {
    return select(Arrays.stream(columns).map(Expr::col).toArray(Expr[]::new));
  }

  public Frame select(Expr... exprs) {
    if (exprs.length == 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "select needs at least one column");
    }
    return new Frame(new PlanNode.Project(plan, List.of(exprs)));
  }

  /** Adds columns, or replaces those of the same name in place. */
  public Frame withColumns(Expr... exprs) {
    return new Frame(new PlanNode.WithColumns(plan, List.of(exprs)));
  }

  public Frame withColumn(Expr expr) {
    return withColumns(expr);
  }

  /** Inner join on columns of the same name on both sides. */
  public Frame join(Frame other, String on) {
    return join(other, JoinType.INNER, List.of(on), List.of(on));
  }

  /** Inner join of {@code leftOn} (this frame) with {@code rightOn} (the other). */
  public Frame join(Frame other, String leftOn, String rightOn) {
    return join(other, JoinType.INNER, List.of(leftOn), List.of(rightOn));
  }

  public Frame join(Frame other, JoinType how, String on) {
    return join(other, how, List.of(on), List.of(on));
  }

  public Frame join(Frame other, JoinType how, String leftOn, String rightOn) {
    return join(other, how, List.of(leftOn), List.of(rightOn));
  }

  /**
   * A join on one or more key columns. Keys of the same name appear once in the result; other
   * columns the right side shares with the left get the suffix {@code _right}.
   */
  public Frame join(Frame other, JoinType how, List<String> leftOn, List<String> rightOn) {
    requireNonNull(other, "other");
    if (leftOn.isEmpty() || leftOn.size() != rightOn.size()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "a join needs the same number (at least one) of key columns on each side, got "
          + leftOn + " and " + rightOn);
    }
    return new Frame(new PlanNode.Join(plan, other.plan, how, leftOn, rightOn, "_right"));
  }

  public GroupBy groupBy(String... keys) {
    return new GroupBy(plan, Arrays.stream(keys).map(Expr::col).toList());
  }

  public GroupBy groupBy(Expr... keys) {
    return new GroupBy(plan, List.of(keys));
  }

  /** Aggregates over all rows (one result row). */
  public Frame agg(Expr... aggregates) {
    return new GroupBy(plan, List.of()).agg(aggregates);
  }

  /** Sorts ascending by the columns. */
  public Frame sort(String... columns) {
    return sort(Arrays.stream(columns).map(SortKey::asc).toArray(SortKey[]::new));
  }

  public Frame sort(SortKey... keys) {
    return new Frame(new PlanNode.Sort(plan, List.of(keys)));
  }

  public Frame limit(long n) {
    return slice(0, n);
  }

  /** The first {@code n} rows. */
  public Frame head(long n) {
    return limit(n);
  }

  /** {@code length} rows starting at {@code offset}. */
  public Frame slice(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "offset and length must not be negative, got " + offset + " and " + length);
    }
    return new Frame(new PlanNode.Limit(plan, length, offset));
  }

  /** Distinct rows. */
  public Frame unique() {
    return new Frame(new PlanNode.Distinct(plan, List.of()));
  }

  /** One row (any) for each distinct combination of the columns. */
  public Frame unique(String... subset) {
    return new Frame(new PlanNode.Distinct(plan, List.of(subset)));
  }

  /** Rows of this frame and the others; columns matched by name, missing ones null. */
  public Frame union(Frame... others) {
    List<PlanNode> inputs = new ArrayList<>();
    inputs.add(plan);
    for (Frame f : others) {
      inputs.add(f.plan);
    }
    return new Frame(new PlanNode.Union(inputs));
  }

  // ---- results

  /** The result's columns and types, without reading rows. */
  public Schema schema() {
    return Execution.schema(plan);
  }

  /**
   * This frame as a query to run, stream, limit or cancel ({@link Query}): planned now, run by
   * each {@link Query#open}. Close it when done.
   */
  public Query prepare() {
    return Execution.prepare(plan);
  }

  /** Runs the query and keeps the result in memory (as Arrow). */
  public DataFrame collect() {
    return Execution.collect(plan);
  }

  /** The number of rows, counted by the engine. */
  public long count() {
    try (DataFrame df = agg(Expr.countRows()).collect()) {
      return ((Number) df.get(0, "count")).longValue();
    }
  }

  /** The plan, the scans after pruning (partitions and files kept), and the SQL the engine runs. */
  public String explain() {
    return Execution.explain(plan);
  }

  /** Writes the result to a Parquet file, streaming from the engine (rows never enter the JVM). */
  public void writeParquet(Path file) {
    Execution.write(plan, file, "parquet");
  }

  public void writeCsv(Path file) {
    Execution.write(plan, file, "csv");
  }

  /** Newline-delimited JSON: one object per row. */
  public void writeJson(Path file) {
    Execution.write(plan, file, "json");
  }

  /** The engine this frame runs on: its tables' catalog engine, or the shared one. */
  public Engine engine() {
    return Execution.engineOf(plan);
  }

  @Override
  public String toString() {
    return "Frame[" + io.neuralake.internal.plan.PlanPrinter.describe(plan) + "]";
  }
}
