package io.neuralake.site.internal.grafana;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.catalog.Database;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.filter.Operator;
import io.neuralake.spi.SqlText;
import io.neuralake.table.LakeContext;
import io.neuralake.table.Partition;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One Grafana dashboard (JSON, schema version 39) per database, from the tables' definitions and metadata only:
 * a time-series panel of rows per interval for each table with a time column, a table panel of its first rows for
 * each other table, and a multi-value variable for each partition column the tables' docs filters name, defaulting
 * to the docs filters' values. Other docs filters stay in the panels' SQL as written.
 */
public final class DashboardWriter {
  /** Grafana's dashboard JSON schema version this writer follows (Grafana 11). */
  public static final int SCHEMA_VERSION = 39;
  /** Grafana's plugin id of its PostgreSQL data source (Grafana 10.4 and later; older ones call it {@code postgres}). */
  public static final String DATA_SOURCE_TYPE = "grafana-postgresql-datasource";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PANEL_WIDTH = 12;
  private static final int PANEL_HEIGHT = 8;

  private final String catalogName;
  private final String dataSourceUid;
  private final LakeContext context;
  private final List<String> problems = new ArrayList<>();

  public DashboardWriter(String catalogName, String dataSourceUid, LakeContext context) {
    this.catalogName = catalogName;
    this.dataSourceUid = dataSourceUid;
    this.context = context;
  }

  /** Tables whose schema could not be read from metadata, one line each; they get a table panel without filters. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The dashboard of one database; {@code uid} is Grafana's stable id for it. */
  public ObjectNode dashboard(Database db, String uid) {
    Map<String, ObjectNode> variables = new LinkedHashMap<>();
    ArrayNode panels = JSON.createArrayNode();
    int id = 1;
    for (String name : db.tables()) {
      TableDefinition def = db.definition(name);
      ObjectNode panel = panel(db.name(), def, variables);
      int slot = id - 1;
      panel.put("id", id++);
      panel.putObject("gridPos").put("h", PANEL_HEIGHT).put("w", PANEL_WIDTH)
          .put("x", (slot % 2) * PANEL_WIDTH).put("y", (slot / 2) * PANEL_HEIGHT);
      panels.add(panel);
    }
    ObjectNode d = JSON.createObjectNode();
    d.put("uid", uid).put("title", catalogName + " / " + db.name())
        .put("description", db.description())
        .put("editable", true).put("schemaVersion", SCHEMA_VERSION).put("version", 1)
        .put("timezone", "utc").put("refresh", "");
    d.putArray("tags").add("neuralake").add(db.name());
    d.putObject("time").put("from", "now-30d").put("to", "now");
    d.set("panels", panels);
    d.putObject("templating").putArray("list").addAll(variables.values());
    d.putObject("annotations").putArray("list");
    return d;
  }

  private ObjectNode panel(String db, TableDefinition def, Map<String, ObjectNode> variables) {
    Optional<Schema> schema = schema(db, def);
    Set<String> partitionColumns = def.partitions().stream().map(Partition::column).collect(Collectors.toSet());
    List<String> conditions = new ArrayList<>();
    List<Filter> literal = new ArrayList<>();
    for (Filter f : schema.isPresent() ? def.metadata().docsFilters() : List.<Filter>of()) {
      if (partitionColumns.contains(f.column()) && (f.operator() == Operator.EQ || f.operator() == Operator.IN)) {
        String variable = PanelSql.variableName(f.column());
        variables.computeIfAbsent(variable, v -> variable(v, db, def.name(), f));
        conditions.add(PanelSql.variableCondition(f.column(), variable));
      } else {
        PanelSql.plainCondition(f).ifPresentOrElse(conditions::add, () -> literal.add(f));
      }
    }
    if (!literal.isEmpty()) {
      conditions.add(SqlText.filter(db + "." + def.name(), Filters.all(literal), schema.get()));
    }
    Optional<Field> time = schema.flatMap(DashboardWriter::timeColumn);
    ObjectNode panel = JSON.createObjectNode();
    panel.put("title", db + "." + def.name()).put("description", def.metadata().description());
    panel.set("datasource", dataSource());
    ObjectNode target = JSON.createObjectNode().put("refId", "A").put("editorMode", "code").put("rawQuery", true);
    target.set("datasource", dataSource());
    if (time.isPresent()) {
      panel.put("type", "timeseries");
      target.put("format", "time_series")
          .put("rawSql", PanelSql.rowsPerInterval(db, def.name(), time.get().name(), conditions));
    } else {
      panel.put("type", "table");
      target.put("format", "table").put("rawSql", PanelSql.firstRows(db, def.name(), conditions));
    }
    panel.putArray("targets").add(target);
    ObjectNode fieldConfig = panel.putObject("fieldConfig");
    fieldConfig.putObject("defaults");
    fieldConfig.putArray("overrides");
    panel.putObject("options");
    return panel;
  }

  private Optional<Schema> schema(String db, TableDefinition def) {
    try {
      return Optional.of(def.schema(context));
    } catch (Exception e) {
      problems.add("could not read the columns of " + db + "." + def.name() + " from its metadata (" + e.getMessage()
          + "); its panel shows its first rows");
      return Optional.empty();
    }
  }

  /** The first timestamp column, else the first date column: what a time series is drawn over. */
  static Optional<Field> timeColumn(Schema schema) {
    Optional<Field> timestamp = schema.fields().stream().filter(f -> isKind(f, DataType.Kind.TIMESTAMP)
        || isKind(f, DataType.Kind.TIMESTAMP_TZ)).findFirst();
    return timestamp.isPresent() ? timestamp
        : schema.fields().stream().filter(f -> isKind(f, DataType.Kind.DATE)).findFirst();
  }

  private static boolean isKind(Field f, DataType.Kind kind) {
    return f.type() instanceof DataType.Primitive p && p.kind() == kind;
  }

  private ObjectNode variable(String name, String db, String table, Filter docs) {
    ObjectNode v = JSON.createObjectNode();
    String query = PanelSql.distinctValues(db, table, docs.column());
    v.put("type", "query").put("name", name).put("label", docs.column())
        .put("definition", query).put("query", query)
        .put("refresh", 1).put("sort", 1).put("multi", true).put("includeAll", false);
    v.set("datasource", dataSource());
    List<String> defaults = docs.value() instanceof Collection<?> values
        ? values.stream().map(String::valueOf).toList() : List.of(String.valueOf(docs.value()));
    ObjectNode current = v.putObject("current").put("selected", true);
    ArrayNode text = current.putArray("text");
    ArrayNode value = current.putArray("value");
    defaults.forEach(s -> {
      text.add(s);
      value.add(s);
    });
    v.putArray("options");
    return v;
  }

  private ObjectNode dataSource() {
    return JSON.createObjectNode().put("type", DATA_SOURCE_TYPE).put("uid", dataSourceUid);
  }
}
