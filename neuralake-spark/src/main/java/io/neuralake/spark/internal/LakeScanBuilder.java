package io.neuralake.spark.internal;

import io.neuralake.filter.Filters;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What Spark pushes into a read: the filters Neuralake can apply (they prune partitions and files
 * when the driver plans, and executors apply them exactly), the columns the query uses and a row
 * limit. Filters with no translation stay with Spark.
 */
public final class LakeScanBuilder implements ScanBuilder, SupportsPushDownFilters, SupportsPushDownRequiredColumns,
    SupportsPushDownLimit {
  private final TableRef ref;
  private final TableDefinition definition;
  private final Schema schema;
  private final FilterTranslator translator;
  private Filters pushed = Filters.none();
  private Filter[] pushedSpark = new Filter[0];
  private List<String> columns;
  private OptionalInt limit = OptionalInt.empty();

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
    for (Filter f : filters) {
      Optional<Filters> ours = translator.translate(f);
      if (ours.isPresent()) {
        all = all.and(ours.get());
        taken.add(f);
      } else {
        kept.add(f);
      }
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

  @Override
  public Scan build() {
    return new LakeScan(ref, definition, schema, pushed, columns, limit);
  }
}
