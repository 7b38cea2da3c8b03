package io.neuralake.site.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.Database;
import io.neuralake.delta.Commit;
import io.neuralake.delta.DeltaHistory;
import io.neuralake.delta.DeltaTable;
import io.neuralake.filter.Filter;
import io.neuralake.site.ServerEndpoints;
import io.neuralake.table.LakeContext;
import io.neuralake.table.Partition;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableDetails;
import io.neuralake.table.TableMetadata;
import io.neuralake.filter.Filters;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the catalog export (format {@link #FORMAT_VERSION}) from a catalog's code and its tables' metadata: a
 * Delta log, a listing, a Parquet footer; never a table's rows. Every key is always written (null or empty when
 * unknown), so a reader never meets a key that is there for one table and missing for another.
 */
public final class ExportWriter {
  public static final int FORMAT_VERSION = 1;
  /** How many of a Delta table's latest commits the export shows. */
  static final int RECENT_COMMITS = 10;
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(ExportWriter.class);

  private final Catalog catalog;
  private final String catalogSource;
  private final ServerEndpoints servedAt;
  private final List<String> problems = new ArrayList<>();

  public ExportWriter(Catalog catalog, String catalogSource, ServerEndpoints servedAt) {
    this.catalog = catalog;
    this.catalogSource = catalogSource;
    this.servedAt = servedAt;
  }

  /** Problems met while reading tables' metadata, one line each naming the table; the export still has them. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public ObjectNode write() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.putObject("catalog").put("name", catalog.name()).put("source", catalogSource);
    ArrayNode dbs = root.putArray("databases");
    for (String name : catalog.dbs()) {
      Database db = catalog.db(name);
      ObjectNode d = dbs.addObject().put("name", name).put("description", db.description());
      ArrayNode tables = d.putArray("tables");
      for (String t : db.tables(true)) {
        tables.add(table(name, db.definition(t)));
      }
    }
    return root;
  }

  private ObjectNode table(String db, TableDefinition def) {
    String qualified = db + "." + def.name();
    TableMetadata m = def.metadata();
    List<String> tableProblems = new ArrayList<>();
    ObjectNode t = JSON.createObjectNode();
    t.put("name", def.name()).put("qualified_name", qualified).put("kind", def.kind())
        .put("description", m.description()).put("data_input", m.dataInput()).put("latency", m.latencyInfo())
        .put("example_notebook", m.exampleNotebook());
    if (m.isDeprecated()) {
      t.put("deprecated", m.deprecated());
    } else {
      t.putNull("deprecated");
    }
    t.put("versioned", def.hasVersions());
    ArrayNode partitions = t.putArray("partitions");
    for (Partition p : def.partitions()) {
      partitions.addObject().put("column", p.column()).put("type", p.type().typeName());
    }
    LakeContext context = catalog.context();
    Schema schema = Schema.empty();
    try {
      schema = def.schema(context);
    } catch (Exception e) {
      tableProblems.add("could not read the schema of " + qualified + ": " + e.getMessage());
    }
    t.set("columns", columns(def, schema));
    ArrayNode filters = t.putArray("docs_filters");
    for (Filter f : m.docsFilters()) {
      ObjectNode fo = filters.addObject().put("column", f.column()).put("operator", f.operator().symbol());
      fo.set("value", JSON.valueToTree(jsonValue(f.value())));
      fo.put("text", f.toString());
    }
    ArrayNode docsColumns = t.putArray("docs_columns");
    m.docsColumns().forEach(docsColumns::add);
    t.set("details", details(def, context, qualified, tableProblems));
    t.set("history", history(def, context, qualified, tableProblems));
    t.set("snippets", Snippets.of(catalog.name(), catalogSource, servedAt, db, def.name(), m.docsFilters(), m.docsColumns())
        .toJson());
    ArrayNode p = t.putArray("problems");
    tableProblems.forEach(p::add);
    tableProblems.forEach(s -> LOG.warn("{}", s));
    problems.addAll(tableProblems);
    return t;
  }

  private static ArrayNode columns(TableDefinition def, Schema schema) {
    Set<String> partitionColumns = new LinkedHashSet<>();
    def.partitions().forEach(p -> partitionColumns.add(p.column()));
    Set<String> stats = new LinkedHashSet<>();
    Set<String> unique = new LinkedHashSet<>();
    if (def instanceof DeltaTable delta) {
      partitionColumns.addAll(delta.partitionedBy());
      unique.addAll(delta.uniqueColumns());
      String property = delta.properties().get("delta.dataSkippingStatsColumns");
      if (property != null) {
        Arrays.stream(property.split(",")).map(String::strip).forEach(stats::add);
      } else if (!delta.statsColumns().isEmpty()) {
        stats.addAll(delta.statsColumns());
      } else {
        schema.names().forEach(stats::add); // our writer collects statistics for every column unless told otherwise
      }
      stats.removeAll(partitionColumns);   // a partition's value is in the log, not in statistics
    }
    ArrayNode out = JSON.createArrayNode();
    List<Field> fields = new ArrayList<>(schema.fields());
    for (Partition p : def.partitions()) {   // partition columns the files' schema does not list are columns too
      if (!schema.contains(p.column())) {
        fields.add(Field.of(p.column(), p.type()));
      }
    }
    for (Field f : fields) {
      ObjectNode c = out.addObject().put("name", f.name()).put("type", f.type().typeName())
          .put("nullable", f.nullable()).put("description", f.description());
      c.putNull("expression");
      ArrayNode badges = c.putArray("badges");
      if (partitionColumns.contains(f.name())) {
        badges.add("partition");
      }
      if (stats.contains(f.name())) {
        badges.add("stats");
      }
      if (unique.contains(f.name())) {
        badges.add("unique");
      }
    }
    if (def instanceof DeltaTable delta) {
      delta.extraColumns().forEach((name, expr) -> {
        ObjectNode c = out.addObject().put("name", name).put("type", "computed").put("nullable", true)
            .put("description", "").put("expression", expr.toString());
        c.putArray("badges").add("computed").add("read-only");
      });
    }
    return out;
  }

  private static ObjectNode details(TableDefinition def, LakeContext context, String qualified, List<String> problems) {
    ObjectNode d = JSON.createObjectNode();
    TableDetails details = TableDetails.none();
    try {
      details = def.details(context);
    } catch (Exception e) {
      problems.add("could not read the details of " + qualified + ": " + e.getMessage());
    }
    putLong(d, "version", details.version());
    if (details.lastModified().isPresent()) {
      d.put("last_modified", details.lastModified().get().toString());
    } else {
      d.putNull("last_modified");
    }
    putLong(d, "file_count", details.fileCount());
    putLong(d, "size_bytes", details.sizeBytes());
    putLong(d, "row_count", details.rowCount());
    d.set("partition_count", partitionCount(def, context, qualified, problems));
    ObjectNode props = d.putObject("properties");
    details.properties().forEach(props::put);
    return d;
  }

  /** Distinct partition values among the current files, from planning (a listing or the log), for tables of files. */
  private static com.fasterxml.jackson.databind.JsonNode partitionCount(TableDefinition def, LakeContext context,
      String qualified, List<String> problems) {
    if (def.partitions().isEmpty() || def.kind().equals("function")) {
      return JSON.nullNode();
    }
    try {
      if (def.plan(ReadOptions.none(), Filters.none(), context) instanceof ScanPlan.Files files) {
        return JSON.getNodeFactory().numberNode(files.files().stream().map(ScanPlan.DataFile::partitionValues)
            .distinct().count());
      }
    } catch (Exception e) {
      problems.add("could not count the partitions of " + qualified + ": " + e.getMessage());
    }
    return JSON.nullNode();
  }

  private static ArrayNode history(TableDefinition def, LakeContext context, String qualified, List<String> problems) {
    ArrayNode out = JSON.createArrayNode();
    if (!(def instanceof DeltaTable delta)) {
      return out;
    }
    try {
      List<Commit> commits = DeltaHistory.of(delta, context);
      for (int i = commits.size() - 1; i >= Math.max(0, commits.size() - RECENT_COMMITS); i--) {
        Commit c = commits.get(i);
        ObjectNode o = out.addObject().put("version", c.version()).put("timestamp", c.timestamp().toString())
            .put("operation", c.operation()).put("files_added", c.filesAdded()).put("files_removed", c.filesRemoved());
        putLong(o, "rows", c.rows());
      }
    } catch (Exception e) {
      problems.add("could not read the history of " + qualified + ": " + e.getMessage());
    }
    return out;
  }

  private static void putLong(ObjectNode node, String key, java.util.OptionalLong value) {
    if (value.isPresent()) {
      node.put(key, value.getAsLong());
    } else {
      node.putNull(key);
    }
  }

  /** Filter values as JSON: numbers, booleans and strings as such, lists of them, anything else as its text. */
  private static Object jsonValue(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(ExportWriter::jsonValue).toList();
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof String) {
      return value;
    }
    return String.valueOf(value);
  }
}
