package io.neuralake.spark.internal;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.query.Query;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.table.TableDefinition;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * An executor's read of one group of planned files: through this JVM's copy of the catalog (its
 * stores, cache and engine), the files made local and read by the engine with the same SQL the
 * core reads any table's files with, the pushed filters applied, as Arrow batches.
 */
final class FileGroupReader {
  private FileGroupReader() {}

  static ArrowBatchReader open(FilePartition partition) {
    TableRef ref = partition.ref();
    Catalog catalog = ref.catalog();
    LakeContext context = catalog.context();
    TableDefinition declared = ref.definition();
    ObjectStore store = storeFor(declared, context, Location.parse(partition.files().files().get(0).location()));
    ScanPlan.Files plan = partition.files().toPlan(store, "a group of files planned by Spark's driver");
    Catalog group = Catalog.builder(catalog.name())
        .runtime(context.runtime()).storage(context.storage()).engine(context.engine())
        .database(ref.database(), new FileGroupTable(ref.table(), partition.kind(), plan))
        .build();
    Frame frame = group.db(ref.database()).table(ref.table(),
        ReadOptions.builder().filters(partition.filters().toFilters()).build());
    boolean noColumns = partition.columns().isEmpty();
    frame = frame.select(noColumns
        ? new Expr[] {Expr.col(plan.columns().get(0).name())}
        : partition.columns().stream().map(OutputColumn::expr).toArray(Expr[]::new));
    if (partition.rowLimit().isPresent()) {
      frame = frame.limit(partition.rowLimit().getAsInt());
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

  /** The store the table's files are read through: the catalog's, with the table's own S3 options if it has some. */
  private static ObjectStore storeFor(TableDefinition table, LakeContext context, Location location) {
    if (table instanceof ParquetTable parquet) {
      return context.storeFor(location, parquet.s3Options());
    }
    return context.storeFor(location);
  }
}
