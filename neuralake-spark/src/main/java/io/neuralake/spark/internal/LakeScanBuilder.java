package io.neuralake.spark.internal;

import io.neuralake.filter.Filters;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What Spark pushes into a read: the filters Neuralake can apply (they prune partitions and files
 * when the driver plans, and executors apply them exactly), the columns the query uses and a row
 * limit, and a {@code GROUP BY} with aggregates the engine computes exactly ({@link PushedAggregation}).
 * Filters with no translation stay with Spark.
 */
public final class LakeScanBuilder implements ScanBuilder, SupportsPushDownFilters, SupportsPushDownRequiredColumns,
    SupportsPushDownLimit, SupportsPushDownAggregates {
  private final TableRef ref;
  private final TableDefinition definition;
  private final Schema schema;
  private final FilterTranslator translator;
  private Filters pushed = Filters.none();
  private Filter[] pushedSpark = new Filter[0];
  private List<String> columns;
  private OptionalInt limit = OptionalInt.empty();
  private PushedAggregation aggregation;

  LakeScanBuilder(TableRef ref, TableDefinition definition, Schema schema) {
    this.ref = ref;
    this.definition = definition;
    this.schema = schema;
    this.translator = new FilterTranslator(schema);
    this.columns = schema.names();
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    List<Filter> kept = new ArrayList<>();
    List<Filter> taken = new ArrayList<>();
    Filters all = Filters.none();
    Set<String> compared = new HashSet<>();
    List<IsNotNull> notNull = new ArrayList<>();
    for (Filter f : filters) {
      Optional<Filters> ours = translator.translate(f);
      if (ours.isPresent()) {
        all = all.and(ours.get());
        taken.add(f);
        if (ours.get().disjuncts().size() == 1) {
          ours.get().disjuncts().get(0).forEach(c -> compared.add(c.column()));
        }
      } else if (f instanceof IsNotNull n) {
        notNull.add(n);
      } else {
        kept.add(f);
      }
    }
    // Spark adds `c IS NOT NULL` beside each comparison of c; the comparison, applied exactly, drops
    // those NULLs already (so the filter is taken, and an aggregate over the scan can be pushed)
    for (IsNotNull n : notNull) {
      (compared.contains(n.attribute()) ? taken : kept).add(n);
    }
    pushed = all;
    pushedSpark = taken.toArray(Filter[]::new);
    return kept.toArray(Filter[]::new);
  }

  @Override
  public Filter[] pushedFilters() {
    return pushedSpark.clone();
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    List<String> wanted = new ArrayList<>();
    for (StructField f : requiredSchema.fields()) {
      if (schema.contains(f.name())) {
        wanted.add(f.name());
      }
    }
    // in the table's order, as the read schema lists them
    columns = schema.names().stream().filter(wanted::contains).toList();
  }

  @Override
  public boolean pushLimit(int n) {
    limit = OptionalInt.of(n);
    return true;
  }

  @Override
  public boolean isPartiallyPushed() {
    // each input partition stops after n rows: Spark still takes n of all of them
    return true;
  }

  /**
   * Spark offers an aggregation only when every filter was pushed; each input partition then
   * aggregates its own rows and Spark merges them (never complete: a table is read by many tasks).
   */
  @Override
  public boolean pushAggregation(Aggregation agg) {
    if (limit.isPresent()) {
      return false;
    }
    aggregation = PushedAggregation.of(agg, schema).orElse(null);
    return aggregation != null;
  }

  @Override
  public boolean supportCompletePushDown(Aggregation agg) {
    return false;
  }

  @Override
  public Scan build() {
    // with an aggregation pushed, Spark prunes no column: the scan's output is the aggregation's
    return new LakeScan(ref, definition, schema, pushed, columns, limit, aggregation);
  }
}
