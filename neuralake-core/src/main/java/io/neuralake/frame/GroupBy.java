package io.neuralake.frame;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.plan.PlanNode;
import java.util.List;

/** A frame grouped by keys, waiting for its aggregates: {@code groupBy("k").agg(col("v").sum())}. */
public final class GroupBy {
  private final PlanNode input;
  private final List<Expr> keys;

  GroupBy(PlanNode input, List<Expr> keys) {
    this.input = input;
    this.keys = List.copyOf(keys);
  }

  /** One row per group: the keys, then each aggregate. */
  public Frame agg(Expr... aggregates) {
    for (Expr a : aggregates) {
      if (!a.isAggregate()) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
            "agg(...) takes aggregates such as col(\"x\").sum() or Expr.countRows(); "
            + a + " is not one");
      }
    }
    return new Frame(new PlanNode.Aggregate(input, keys, List.of(aggregates)));
  }
}
