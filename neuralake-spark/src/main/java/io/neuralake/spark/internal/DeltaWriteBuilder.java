package io.neuralake.spark.internal;

import io.neuralake.NeuralakeException;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.DistributedAppend;
import io.neuralake.delta.WriteOptions;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.SupportsOverwrite;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.sources.AlwaysTrue;

/**
 * A write to a Delta table of the catalog through Neuralake's Delta writer, begun on the driver
 * when Spark plans it (the table's latest version gives its schema and partitioning):
 * {@code INSERT INTO} appends; {@code INSERT OVERWRITE} replaces the whole table ({@link #truncate})
 * or, with a {@code PARTITION (...)} clause or {@code REPLACE WHERE}, the partitions its filter
 * matches ({@link #overwrite}) in the same one commit that adds the new files.
 */
final class DeltaWriteBuilder implements SupportsOverwrite, Write {
  private final TableRef ref;
  private final DeltaTable table;
  private final Schema schema;
  /** Null: an append; else the partitions replaced (empty: all). */
  private List<Filter> replacing;

  DeltaWriteBuilder(TableRef ref, DeltaTable table, Schema schema) {
    this.ref = ref;
    this.table = table;
    this.schema = schema;
  }

  @Override
  public WriteBuilder truncate() {
    replacing = List.of();
    return this;
  }

  /** Filters Neuralake can apply exactly to partition values: conjunctions of comparisons (checked on partition columns when the write begins). */
  @Override
  public boolean canOverwrite(org.apache.spark.sql.sources.Filter[] filters) {
    return partitionFilter(filters).isPresent();
  }

  @Override
  public WriteBuilder overwrite(org.apache.spark.sql.sources.Filter[] filters) {
    replacing = partitionFilter(filters).orElseThrow(() -> SparkErrors.raise(SparkErrors.analysis("cannot overwrite "
        + ref + " where " + java.util.Arrays.toString(filters) + ": Neuralake overwrites partitions matched by"
        + " comparisons of partition columns joined by AND")));
    return this;
  }

  private Optional<List<Filter>> partitionFilter(org.apache.spark.sql.sources.Filter[] filters) {
    FilterTranslator translator = new FilterTranslator(schema);
    List<Filter> conjunction = new ArrayList<>();
    for (org.apache.spark.sql.sources.Filter f : filters) {
      if (f instanceof AlwaysTrue) {
        continue;
      }
      Optional<Filters> one = translator.translate(f);
      if (one.isEmpty() || one.get().disjuncts().size() != 1) {
        return Optional.empty();
      }
      conjunction.addAll(one.get().disjuncts().get(0));
    }
    return Optional.of(List.copyOf(conjunction));
  }

  @Override
  public Write build() {
    return this;
  }

  @Override
  public String description() {
    return replacing == null ? "Neuralake append to " + ref
        : "Neuralake overwrite of " + ref + (replacing.isEmpty() ? "" : " where " + Filters.all(replacing));
  }

  @Override
  public BatchWrite toBatch() {
    DistributedAppend write;
    try {
      write = replacing == null ? table.distributedAppend(ref.catalog().context(), WriteOptions.defaults())
          : table.distributedOverwrite(ref.catalog().context(), WriteOptions.defaults(), replacing);
    } catch (NeuralakeException e) {
      throw SparkErrors.raise(SparkErrors.analysis("cannot write to " + ref + ": " + SparkErrors.describe(e)));
    }
    return new DeltaBatchWrite(ref, write);
  }
}
