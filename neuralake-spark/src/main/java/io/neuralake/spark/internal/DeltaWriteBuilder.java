package io.neuralake.spark.internal;

import io.neuralake.NeuralakeException;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.DistributedAppend;
import io.neuralake.delta.WriteOptions;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;

/**
 * {@code INSERT INTO} a Delta table of the catalog: an append through Neuralake's Delta writer,
 * begun on the driver when Spark plans the write (the table's latest version gives its schema and
 * partitioning). Overwrites are not offered, so Spark refuses {@code INSERT OVERWRITE} itself.
 */
final class DeltaWriteBuilder implements WriteBuilder, Write {
  private final TableRef ref;
  private final DeltaTable table;

  DeltaWriteBuilder(TableRef ref, DeltaTable table) {
    this.ref = ref;
    this.table = table;
  }

  @Override
  public Write build() {
    return this;
  }

  @Override
  public String description() {
    return "Neuralake append to " + ref;
  }

  @Override
  public BatchWrite toBatch() {
    DistributedAppend append;
    try {
      append = table.distributedAppend(ref.catalog().context(), WriteOptions.defaults());
    } catch (NeuralakeException e) {
      throw SparkErrors.raise(SparkErrors.analysis("cannot write to " + ref + ": " + SparkErrors.describe(e)));
    }
    return new DeltaBatchWrite(ref, append);
  }
}
