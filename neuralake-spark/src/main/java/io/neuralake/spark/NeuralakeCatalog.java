package io.neuralake.spark;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.Database;
import io.neuralake.spark.internal.LakeTable;
import io.neuralake.spark.internal.LoadedCatalogs;
import io.neuralake.spark.internal.SparkErrors;
import io.neuralake.spark.internal.TableRef;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.NamespaceChange;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A Neuralake catalog, declared in code, as a Spark catalog: its databases are namespaces, its
 * tables Spark tables, read with Neuralake's planner on the driver and its engine on executors.
 *
 * <pre>
 * spark-sql --jars neuralake-spark.jar \
 *   --conf spark.sql.catalog.lake=io.neuralake.spark.NeuralakeCatalog \
 *   --conf spark.sql.catalog.lake.catalog=/path/to/catalog   # .java file or folder, or some.jar!com.example.MyCatalog
 * </pre>
 *
 * The catalog code is loaded when first used (compiled, for sources), once per JVM: the driver and
 * every executor need the same path. Delta tables take
 * {@code INSERT INTO} (an append committed once by the driver); the catalog itself is read-only:
 * tables are declared in its code, not created through Spark.
 */
public final class NeuralakeCatalog implements TableCatalog, SupportsNamespaces {
  /** The option naming the catalog code: {@code spark.sql.catalog.<name>.catalog}. */
  public static final String CATALOG_OPTION = "catalog";

  private String name;
  private String spec;

  public NeuralakeCatalog() {}

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
    this.spec = options.get(CATALOG_OPTION);
    if (spec == null || spec.isBlank()) {
      throw SparkErrors.raise(SparkErrors.analysis("the Spark catalog '" + name + "' has no Neuralake catalog to serve:"
          + " set spark.sql.catalog." + name + "." + CATALOG_OPTION + " to a .java file or folder, or to"
          + " some.jar!com.example.MyCatalog"));
    }
  }

  @Override
  public String name() {
    return name;
  }

  // ---- namespaces: the catalog's databases

  @Override
  public String[][] listNamespaces() {
    return catalog().dbs().stream().map(d -> new String[] {d}).toArray(String[][]::new);
  }

  @Override
  public String[][] listNamespaces(String[] namespace) throws NoSuchNamespaceException {
    if (namespace.length == 0) {
      return listNamespaces();
    }
    database(namespace);
    return new String[0][];
  }

  @Override
  public boolean namespaceExists(String[] namespace) {
    return namespace.length == 1 && catalog().dbs().contains(namespace[0]);
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(String[] namespace) throws NoSuchNamespaceException {
    Database db = database(namespace);
    Map<String, String> meta = new LinkedHashMap<>();
    if (!db.description().isBlank()) {
      meta.put(SupportsNamespaces.PROP_COMMENT, db.description());
    }
    return meta;
  }

  // ---- tables

  @Override
  public Identifier[] listTables(String[] namespace) throws NoSuchNamespaceException {
    Database db = database(namespace);
    try {
      return db.tables().stream().map(t -> Identifier.of(namespace, t)).toArray(Identifier[]::new);
    } catch (NeuralakeException | UncheckedIOException e) {
      throw SparkErrors.raise(SparkErrors.analysis("Neuralake catalog '" + name + "': could not list the tables of "
          + db.name() + ": " + SparkErrors.describe(e)));
    }
  }

  @Override
  public Table loadTable(Identifier ident) throws NoSuchTableException {
    return load(ident, -1, null);
  }

  @Override
  public Table loadTable(Identifier ident, String version) throws NoSuchTableException {
    long v;
    try {
      v = Long.parseLong(version.trim());
    } catch (NumberFormatException e) {
      throw SparkErrors.raise(SparkErrors.analysis("table " + name + "." + ident + ": VERSION AS OF takes a version"
          + " number (0 or more), got '" + version + "'"));
    }
    return load(ident, v, null);
  }

  @Override
  public Table loadTable(Identifier ident, long timestamp) throws NoSuchTableException {
    // Spark passes microseconds since the epoch
    Instant at = Instant.EPOCH.plus(timestamp, java.time.temporal.ChronoUnit.MICROS);
    return load(ident, -1, at);
  }

  private Table load(Identifier ident, long version, Instant timestamp) throws NoSuchTableException {
    if (ident.namespace().length != 1) {
      throw new NoSuchTableException(ident);
    }
    Catalog catalog = catalog();
    String db = ident.namespace()[0];
    if (!catalog.dbs().contains(db)) {
      throw new NoSuchTableException(ident);
    }
    TableDefinition definition;
    try {
      definition = catalog.db(db).definition(ident.name());
    } catch (NeuralakeException e) {
      if (e.code() == ErrorCode.TABLE_NOT_FOUND) {
        throw new NoSuchTableException(ident);
      }
      throw SparkErrors.raise(SparkErrors.analysis("Neuralake catalog '" + name + "': table " + ident + ": "
          + SparkErrors.describe(e)));
    }
    if ((version >= 0 || timestamp != null) && !definition.hasVersions()) {
      throw SparkErrors.raise(SparkErrors.analysis("table " + name + "." + ident + " is a " + definition.kind()
          + " table, which has no versions: read it without VERSION AS OF or TIMESTAMP AS OF"));
    }
    TableRef ref = new TableRef(spec, name, db, ident.name(), version, timestamp);
    Schema schema;
    try {
      schema = definition.schema(catalog.context());
    } catch (IOException | NeuralakeException | UncheckedIOException e) {
      throw SparkErrors.raise(SparkErrors.analysis("Neuralake catalog '" + name + "': could not read the schema of "
          + ident + ": " + SparkErrors.describe(e)));
    }
    return new LakeTable(ref, definition, schema, location(catalog, definition));
  }

  /**
   * Where the table's data lives: a store path resolved against the catalog's root; other locations
   * (a relational table's database URL) as declared; empty for function tables.
   */
  private static String location(Catalog catalog, TableDefinition definition) {
    String declared = definition.location();
    if (declared.isBlank()) {
      return "";
    }
    try {
      return catalog.context().resolve(declared).toString();
    } catch (NeuralakeException e) {
      return declared;
    }
  }

  // ---- read-only

  @Override
  public Table createTable(Identifier ident, StructType schema, Transform[] partitions, Map<String, String> properties) {
    throw readOnly("create the table " + ident);
  }

  @Override
  public Table alterTable(Identifier ident, TableChange... changes) {
    throw readOnly("alter the table " + ident);
  }

  @Override
  public boolean dropTable(Identifier ident) {
    throw readOnly("drop the table " + ident);
  }

  @Override
  public void renameTable(Identifier oldIdent, Identifier newIdent) {
    throw readOnly("rename the table " + oldIdent);
  }

  @Override
  public void createNamespace(String[] namespace, Map<String, String> metadata) {
    throw readOnly("create the namespace " + String.join(".", namespace));
  }

  @Override
  public void alterNamespace(String[] namespace, NamespaceChange... changes) {
    throw readOnly("alter the namespace " + String.join(".", namespace));
  }

  @Override
  public boolean dropNamespace(String[] namespace, boolean cascade) {
    throw readOnly("drop the namespace " + String.join(".", namespace));
  }

  private RuntimeException readOnly(String what) {
    return SparkErrors.raise(SparkErrors.analysis("cannot " + what + ": the Neuralake catalog '" + name
        + "' is read-only in Spark; its databases and tables are declared in its code (" + spec + ")"));
  }

  // ----

  private Catalog catalog() {
    try {
      return LoadedCatalogs.get(spec);
    } catch (RuntimeException e) {
      // the catalog's own code failed (did not compile, threw): its message says where, its stack says nothing more
      AnalysisException clean = SparkErrors.analysis("the Neuralake catalog '" + name + "' (spark.sql.catalog." + name
          + "." + CATALOG_OPTION + "=" + spec + ") could not be loaded: " + SparkErrors.describe(e));
      throw SparkErrors.raise(clean);
    }
  }

  private Database database(String[] namespace) throws NoSuchNamespaceException {
    Catalog catalog = catalog();
    if (namespace.length != 1 || !catalog.dbs().contains(namespace[0])) {
      throw new NoSuchNamespaceException(namespace);
    }
    return catalog.db(namespace[0]);
  }

  @Override
  public String toString() {
    return "NeuralakeCatalog[" + name + ": " + spec + "]";
  }
}
