package io.neuralake.spark.internal;

import io.neuralake.table.Partition;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableMetadata;
import io.neuralake.types.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import io.neuralake.delta.DeltaTable;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A catalog table as a Spark table: its schema from metadata (no data file opened), its
 * description as the comment, its kind, location, partitions and documentation as properties.
 * Every table can be scanned; Delta tables (at their latest version) can also be appended to
 * ({@code INSERT INTO}), through Neuralake's Delta writer.
 */
public final class LakeTable implements Table, SupportsRead, SupportsWrite {
  private final TableRef ref;
  private final TableDefinition definition;
  private final Schema schema;
  private final String location;

  /** {@code location}: where the data lives, resolved against the catalog's root (empty for function tables). */
  public LakeTable(TableRef ref, TableDefinition definition, Schema schema, String location) {
    this.ref = ref;
    this.definition = definition;
    this.schema = schema;
    this.location = location;
  }

  @Override
  public String name() {
    return ref.sparkCatalog() + "." + ref.database() + "." + ref.table();
  }

  @Override
  @SuppressWarnings("deprecation")
  public StructType schema() {
    return SparkTypes.schema(schema);
  }

  @Override
  public Transform[] partitioning() {
    return definition.partitions().stream().map(p -> Expressions.identity(p.column())).toArray(Transform[]::new);
  }

  @Override
  public Map<String, String> properties() {
    TableMetadata m = definition.metadata();
    Map<String, String> p = new LinkedHashMap<>();
    put(p, TableCatalog.PROP_COMMENT, m.description());
    // the data is the catalog's: Spark never owns or deletes it
    p.put(TableCatalog.PROP_EXTERNAL, "true");
    put(p, "kind", definition.kind());
    put(p, TableCatalog.PROP_LOCATION, location);
    put(p, "partitions", definition.partitions().stream().map(Partition::column).collect(Collectors.joining(",")));
    put(p, "data_input", m.dataInput());
    put(p, "latency_info", m.latencyInfo());
    put(p, "example_notebook", m.exampleNotebook());
    put(p, "deprecated", m.deprecated());
    if (ref.versionAsked().isPresent()) {
      p.put("version", Long.toString(ref.version()));
    }
    return p;
  }

  private static void put(Map<String, String> p, String key, String value) {
    if (value != null && !value.isBlank()) {
      p.put(key, value);
    }
  }

  @Override
  public Set<TableCapability> capabilities() {
    return writable() ? Set.of(TableCapability.BATCH_READ, TableCapability.BATCH_WRITE, TableCapability.TRUNCATE,
        TableCapability.OVERWRITE_BY_FILTER) : Set.of(TableCapability.BATCH_READ);
  }

  private boolean writable() {
    return definition instanceof DeltaTable && ref.versionAsked().isEmpty() && ref.timestamp() == null;
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    if (!writable()) {
      throw SparkErrors.raise(SparkErrors.analysis("cannot write to " + ref + ": only Delta tables, at their latest"
          + " version, can be written through Spark; this is a " + definition.kind() + " table"
          + (ref.versionAsked().isPresent() || ref.timestamp() != null ? " read at a past version" : "")));
    }
    return new DeltaWriteBuilder(ref, (DeltaTable) definition, schema);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new LakeScanBuilder(ref, definition, schema);
  }
}
