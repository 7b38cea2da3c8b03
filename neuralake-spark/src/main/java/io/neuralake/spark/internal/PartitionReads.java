package io.neuralake.spark.internal;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.query.Query;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;
import java.util.List;
import java.util.OptionalInt;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * An executor's read of its share of a table: {@code share}, a definition reading only that share
 * (a group of planned files, a range of a relational table), read through this JVM's copy of the
 * catalog (its runtime, stores, cache and engine) as a one-table catalog of its own, with the pushed
 * filters applied, the columns Spark asked for (or the pushed aggregation) and the row limit, as
 * Arrow batches.
 */
final class PartitionReads {
  private PartitionReads() {}

  /**
   * @param anyColumn a column to read when Spark asks for none (a count), for its row count
   * @param aggregation what to compute over the share's rows instead of returning them, or null
   */
  static ArrowBatchReader open(TableRef ref, TableDefinition share, Filters filters, List<OutputColumn> columns,
      OptionalInt rowLimit, String anyColumn, PushedAggregation aggregation) {
    LakeContext context = ref.catalog().context();
    Catalog one = Catalog.builder(ref.catalog().name())
        .runtime(context.runtime()).storage(context.storage()).engine(context.engine())
        .database(ref.database(), share)
        .build();
    Frame frame = one.db(ref.database()).table(share.name(), ReadOptions.builder().filters(filters).build());
    boolean noColumns = aggregation == null && columns.isEmpty();
    frame = aggregation != null ? aggregation.apply(frame) : frame.select(noColumns
        ? new Expr[] {Expr.col(anyColumn)}
        : columns.stream().map(OutputColumn::expr).toArray(Expr[]::new));
    if (rowLimit.isPresent()) {
      frame = frame.limit(rowLimit.getAsInt());
    }
    Query query = frame.prepare();
    try {
      ArrowReader reader = query.open();
      return new ArrowBatchReader(reader, noColumns, query);
    } catch (RuntimeException e) {
      query.close();
      throw e;
    }
  }
}
