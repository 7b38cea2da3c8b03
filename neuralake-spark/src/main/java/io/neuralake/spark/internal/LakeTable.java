package io.neuralake.spark.internal;

import io.neuralake.table.Partition;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableMetadata;
import io.neuralake.types.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.connector.catalog.SupportsRead;
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
 * Read-only: it can be scanned, not written.
 */
public final class LakeTable implements Table, SupportsRead {
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
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new LakeScanBuilder(ref, definition, schema);
  }
}
