package io.neuralake.spark.internal;

import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.ScanPlan;
import io.neuralake.table.TableDefinition;

/**
 * An executor's read of one group of planned files: the files made local through this JVM's copy
 * of the catalog's stores and cache, and read by the engine with the same SQL the core reads any
 * table's files with ({@link PartitionReads}).
 */
final class FileGroupReader {
  private FileGroupReader() {}

  static ArrowBatchReader open(FilePartition partition) {
    TableRef ref = partition.ref();
    LakeContext context = ref.catalog().context();
    ObjectStore store = storeFor(ref.definition(), context, Location.parse(partition.files().files().get(0).location()));
    ScanPlan.Files plan = partition.files().toPlan(store, "a group of files planned by Spark's driver");
    return PartitionReads.open(ref, new FileGroupTable(ref.table(), partition.kind(), plan),
        partition.filters().toFilters(), partition.columns(), partition.rowLimit(), plan.columns().get(0).name(),
        partition.aggregation());
  }

  /** The store the table's files are read through: the catalog's, with the table's own S3 options if it has some. */
  private static ObjectStore storeFor(TableDefinition table, LakeContext context, Location location) {
    if (table instanceof ParquetTable parquet) {
      return context.storeFor(location, parquet.s3Options());
    }
    return context.storeFor(location);
  }
}
