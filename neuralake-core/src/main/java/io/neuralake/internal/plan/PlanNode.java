package io.neuralake.internal.plan;

import static java.util.Objects.requireNonNull;

import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.JoinType;
import io.neuralake.frame.SortKey;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;
import java.util.List;

/** The logical plan behind a lazy frame: an immutable tree the compiler turns into one SQL query. */
public sealed interface PlanNode {

  /** Reads a catalog table. */
  record Scan(TableDefinition table, String qualifiedName, LakeContext context, ReadOptions options) implements PlanNode {
    public Scan {
      requireNonNull(table, "table");
      requireNonNull(qualifiedName, "qualifiedName");
      requireNonNull(context, "context");
      requireNonNull(options, "options");
      Versions.requireVersioned(table, qualifiedName, options);
    }
  }

  /** Rows already in memory: one or more frames of the same schema, read as one table. */
  record Values(List<DataFrame> frames) implements PlanNode {
    public Values {
      frames = List.copyOf(frames);
      if (frames.isEmpty()) {
        throw new IllegalArgumentException("no frames");
      }
      for (DataFrame f : frames) {
        if (!f.schema().equals(frames.get(0).schema())) {
          throw new IllegalArgumentException("frames read as one table must share a schema: " + frames.get(0).schema()
              + " vs " + f.schema());
        }
      }
    }

    public Values(DataFrame data) {
      this(List.of(data));
    }

    public long rowCount() {
      return frames.stream().mapToLong(DataFrame::rowCount).sum();
    }
  }

  /** SQL over the tables of a catalog. */
  record CatalogSql(TableResolver catalog, String sql) implements PlanNode {}

  record Filter(PlanNode input, Expr predicate) implements PlanNode {}

  record Project(PlanNode input, List<Expr> exprs) implements PlanNode {
    public Project {
      exprs = List.copyOf(exprs);
    }
  }

  record WithColumns(PlanNode input, List<Expr> exprs) implements PlanNode {
    public WithColumns {
      exprs = List.copyOf(exprs);
    }
  }

  record Join(PlanNode left, PlanNode right, JoinType type, List<String> leftOn, List<String> rightOn, String suffix)
      implements PlanNode {
    public Join {
      leftOn = List.copyOf(leftOn);
      rightOn = List.copyOf(rightOn);
    }
  }

  record Aggregate(PlanNode input, List<Expr> keys, List<Expr> aggregates) implements PlanNode {
    public Aggregate {
      keys = List.copyOf(keys);
      aggregates = List.copyOf(aggregates);
    }
  }

  record Sort(PlanNode input, List<SortKey> keys) implements PlanNode {
    public Sort {
      keys = List.copyOf(keys);
    }
  }

  record Limit(PlanNode input, long limit, long offset) implements PlanNode {}

  /** Distinct rows, or one row per distinct value of {@code subset}. */
  record Distinct(PlanNode input, List<String> subset) implements PlanNode {
    public Distinct {
      subset = List.copyOf(subset);
    }
  }

  /** Rows of all inputs, columns matched by name (missing ones null). */
  record Union(List<PlanNode> inputs) implements PlanNode {
    public Union {
      inputs = List.copyOf(inputs);
    }
  }
}
