package io.neuralake.server.internal.pg;

import io.neuralake.catalog.Catalog;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What clients read about the server in {@code pg_catalog} and {@code information_schema}, built
 * from the catalog one user may see: their databases as schemas, the tables with their columns in
 * PostgreSQL types, the descriptions. Each relation is a list of rows that {@link PgCatalogRewrite}
 * puts in front of a query as a common table expression, so the query's joins, filters and
 * functions run on the same sandboxed engine as every other query, and nothing can be written.
 */
final class PgCatalog {
  static final int PG_CATALOG_OID = 11;
  static final int PUBLIC_OID = 2200;
  static final int INFORMATION_SCHEMA_OID = 13_000;
  static final int OWNER_OID = 10;
  static final String OWNER = "neuralake";
  private static final int FIRST_NAMESPACE_OID = 16_384;
  private static final int FIRST_TABLE_OID = 20_000;
  private static final int PG_CLASS_OID = 1259;
  private static final int PG_NAMESPACE_CLASS_OID = 2615;

  /** One table as clients see it. */
  record TableInfo(String database, String table, String description, Schema schema) {}

  /** A relation's columns ({@code name TYPE}, the engine's types) and rows. */
  record Relation(List<String> columns, List<Object[]> rows) {}

  private final String catalogName;
  private final String user;
  private final List<String> databases;
  private final Map<String, String> databaseDescriptions;
  private final List<TableInfo> tables;
  private final List<Object[]> activity;

  PgCatalog(Catalog catalog, String user, List<Object[]> activity, BiFunction<String, String, Schema> schemaOf) {
    this(catalog.name(), user, descriptions(catalog), tables(catalog, schemaOf), activity);
  }

  /** The catalog's databases with their descriptions, and its tables: what clients are shown. */
  PgCatalog(String catalogName, String user, Map<String, String> databaseDescriptions, List<TableInfo> tables,
      List<Object[]> activity) {
    this.activity = List.copyOf(activity);
    this.catalogName = catalogName;
    this.user = user;
    this.databases = List.copyOf(databaseDescriptions.keySet());
    this.databaseDescriptions = databaseDescriptions;
    this.tables = List.copyOf(tables);
  }

  private static Map<String, String> descriptions(Catalog catalog) {
    Map<String, String> m = new LinkedHashMap<>();
    catalog.dbs().forEach(db -> m.put(db, catalog.db(db).description()));
    return m;
  }

  private static List<TableInfo> tables(Catalog catalog, BiFunction<String, String, Schema> schemaOf) {
    List<TableInfo> all = new ArrayList<>();
    for (String db : catalog.dbs()) {
      for (String t : catalog.db(db).tables()) {
        all.add(new TableInfo(db, t, catalog.db(db).definition(t).metadata().description(), schemaOf.apply(db, t)));
      }
    }
    return all;
  }

  private int namespaceOid(String db) {
    return FIRST_NAMESPACE_OID + databases.indexOf(db);
  }

  private int tableOid(TableInfo t) {
    return FIRST_TABLE_OID + tables.indexOf(t);
  }

  /** The relation of that name ({@code pg_class}, {@code information_schema.tables}, ...), or null. */
  Relation relation(String name) {
    return switch (name) {
      case "pg_namespace" -> namespaces();
      case "pg_class" -> classes();
      case "pg_attribute" -> attributes();
      case "pg_type" -> types();
      case "pg_database" -> new Relation(cols("oid INTEGER", "datname VARCHAR", "datdba INTEGER", "encoding INTEGER",
          "datlocprovider VARCHAR", "datistemplate BOOLEAN", "datallowconn BOOLEAN", "datconnlimit INTEGER",
          "dattablespace INTEGER", "datcollate VARCHAR", "datctype VARCHAR", "daticulocale VARCHAR",
          "datcollversion VARCHAR", "datacl VARCHAR[]"), List.<Object[]>of(new Object[] {16_383, catalogName,
          OWNER_OID, 6, "c", false, true, -1, 1663, "C.UTF-8", "C.UTF-8", null, null, null}));
      case "pg_roles", "pg_user", "pg_authid", "pg_shadow" -> new Relation(cols("oid INTEGER", "rolname VARCHAR",
          "usename VARCHAR", "usesysid INTEGER", "rolsuper BOOLEAN", "usesuper BOOLEAN", "rolinherit BOOLEAN",
          "rolcreaterole BOOLEAN", "rolcreatedb BOOLEAN", "usecreatedb BOOLEAN", "rolcanlogin BOOLEAN",
          "rolreplication BOOLEAN", "rolbypassrls BOOLEAN", "rolconnlimit INTEGER", "rolpassword VARCHAR",
          "rolvaliduntil TIMESTAMP", "rolconfig VARCHAR[]"), List.<Object[]>of(new Object[] {OWNER_OID, user, user,
          OWNER_OID, false, false, true, false, false, false, true, false, false, -1, "********", null, null}));
      case "pg_am" -> new Relation(cols("oid INTEGER", "amname VARCHAR", "amhandler VARCHAR", "amtype VARCHAR"),
          List.<Object[]>of(new Object[] {2, "heap", "heap_tableam_handler", "t"}));
      case "pg_description" -> descriptions();
      case "pg_tables" -> new Relation(cols("schemaname VARCHAR", "tablename VARCHAR", "tableowner VARCHAR",
          "tablespace VARCHAR", "hasindexes BOOLEAN", "hasrules BOOLEAN", "hastriggers BOOLEAN", "rowsecurity BOOLEAN"),
          tables.stream().map(t -> new Object[] {t.database(), t.table(), OWNER, null, false, false, false, false})
              .toList());
      case "pg_settings" -> new Relation(cols("name VARCHAR", "setting VARCHAR", "unit VARCHAR", "category VARCHAR",
          "short_desc VARCHAR", "context VARCHAR", "vartype VARCHAR", "source VARCHAR"), List.of(
          new Object[] {"server_version", PgSession.SERVER_VERSION, null, "Preset Options", "Server version.",
              "internal", "string", "default"},
          new Object[] {"server_encoding", "UTF8", null, "Preset Options", "Server encoding.", "internal", "string",
              "default"},
          new Object[] {"max_identifier_length", "63", null, "Preset Options", "Identifier length.", "internal",
              "integer", "default"}));
      case "pg_attrdef" -> empty("oid INTEGER", "adrelid INTEGER", "adnum INTEGER", "adbin VARCHAR");
      case "pg_index" -> empty("indexrelid INTEGER", "indrelid INTEGER", "indnatts INTEGER", "indisunique BOOLEAN",
          "indisprimary BOOLEAN", "indisclustered BOOLEAN", "indisvalid BOOLEAN", "indisreplident BOOLEAN",
          "indkey INTEGER[]", "indexprs VARCHAR", "indpred VARCHAR", "indnkeyatts INTEGER", "indisexclusion BOOLEAN",
          "indimmediate BOOLEAN", "indcollation INTEGER[]", "indclass INTEGER[]", "indoption INTEGER[]");
      case "pg_constraint" -> empty("oid INTEGER", "conname VARCHAR", "connamespace INTEGER", "contype VARCHAR",
          "conrelid INTEGER", "confrelid INTEGER", "conindid INTEGER", "conkey INTEGER[]", "confkey INTEGER[]",
          "condeferrable BOOLEAN", "condeferred BOOLEAN", "convalidated BOOLEAN", "conislocal BOOLEAN",
          "coninhcount INTEGER", "connoinherit BOOLEAN", "conparentid INTEGER", "confupdtype VARCHAR",
          "confdeltype VARCHAR", "confmatchtype VARCHAR", "contypid INTEGER");
      case "pg_inherits" -> empty("inhrelid INTEGER", "inhparent INTEGER", "inhseqno INTEGER",
          "inhdetachpending BOOLEAN");
      case "pg_policy" -> empty("oid INTEGER", "polname VARCHAR", "polrelid INTEGER", "polcmd VARCHAR",
          "polpermissive BOOLEAN", "polroles INTEGER[]", "polqual VARCHAR", "polwithcheck VARCHAR");
      case "pg_trigger" -> empty("oid INTEGER", "tgrelid INTEGER", "tgname VARCHAR", "tgfoid INTEGER",
          "tgenabled VARCHAR", "tgisinternal BOOLEAN", "tgparentid INTEGER");
      case "pg_rewrite" -> empty("oid INTEGER", "rulename VARCHAR", "ev_class INTEGER", "ev_type VARCHAR",
          "is_instead BOOLEAN", "ev_enabled VARCHAR");
      case "pg_statistic_ext" -> empty("oid INTEGER", "stxrelid INTEGER", "stxname VARCHAR",
          "stxnamespace INTEGER", "stxkeys INTEGER[]", "stxkind VARCHAR[]", "stxstattarget INTEGER");
      case "pg_publication" -> empty("oid INTEGER", "pubname VARCHAR", "puballtables BOOLEAN", "pubviaroot BOOLEAN");
      case "pg_publication_rel" -> empty("oid INTEGER", "prpubid INTEGER", "prrelid INTEGER", "prqual VARCHAR",
          "prattrs INTEGER[]");
      case "pg_publication_namespace" -> empty("oid INTEGER", "pnpubid INTEGER", "pnnspid INTEGER");
      case "pg_partitioned_table" -> empty("partrelid INTEGER", "partstrat VARCHAR", "partnatts INTEGER");
      case "pg_foreign_table" -> empty("ftrelid INTEGER", "ftserver INTEGER", "ftoptions VARCHAR[]");
      case "pg_tablespace" -> new Relation(cols("oid INTEGER", "spcname VARCHAR", "spcowner INTEGER"),
          List.<Object[]>of(new Object[] {1663, "pg_default", OWNER_OID}));
      case "pg_collation" -> empty("oid INTEGER", "collname VARCHAR", "collnamespace INTEGER");
      case "pg_proc" -> empty("oid INTEGER", "proname VARCHAR", "pronamespace INTEGER", "prorettype INTEGER",
          "prokind VARCHAR", "proargtypes VARCHAR", "proretset BOOLEAN");
      case "pg_views", "pg_matviews" -> empty("schemaname VARCHAR", "viewname VARCHAR", "matviewname VARCHAR",
          "viewowner VARCHAR", "definition VARCHAR");
      case "pg_extension" -> empty("oid INTEGER", "extname VARCHAR", "extversion VARCHAR", "extnamespace INTEGER");
      case "pg_enum" -> empty("oid INTEGER", "enumtypid INTEGER", "enumsortorder DOUBLE", "enumlabel VARCHAR");
      case "pg_range" -> empty("rngtypid INTEGER", "rngsubtype INTEGER");
      case "pg_event_trigger" -> empty("oid INTEGER", "evtname VARCHAR", "evtevent VARCHAR");
      case "pg_sequence" -> empty("seqrelid INTEGER", "seqtypid INTEGER");
      case "pg_depend" -> empty("classid INTEGER", "objid INTEGER", "objsubid INTEGER", "refclassid INTEGER",
          "refobjid INTEGER", "refobjsubid INTEGER", "deptype VARCHAR");
      case "pg_stat_activity" -> new Relation(cols("datid INTEGER", "datname VARCHAR", "pid INTEGER",
          "usename VARCHAR", "application_name VARCHAR", "state VARCHAR", "query VARCHAR"), activity);
      case "information_schema.schemata" -> new Relation(cols("catalog_name VARCHAR", "schema_name VARCHAR",
          "schema_owner VARCHAR", "default_character_set_catalog VARCHAR", "default_character_set_schema VARCHAR",
          "default_character_set_name VARCHAR", "sql_path VARCHAR"),
          databases.stream().map(d -> new Object[] {catalogName, d, OWNER, null, null, null, null}).toList());
      case "information_schema.tables" -> new Relation(cols("table_catalog VARCHAR", "table_schema VARCHAR",
          "table_name VARCHAR", "table_type VARCHAR", "self_referencing_column_name VARCHAR",
          "reference_generation VARCHAR", "user_defined_type_catalog VARCHAR", "user_defined_type_schema VARCHAR",
          "user_defined_type_name VARCHAR", "is_insertable_into VARCHAR", "is_typed VARCHAR", "commit_action VARCHAR"),
          tables.stream().map(t -> new Object[] {catalogName, t.database(), t.table(), "BASE TABLE", null, null, null,
              null, null, "NO", "NO", null}).toList());
      case "information_schema.columns" -> columns();
      case "information_schema.views" -> empty("table_catalog VARCHAR", "table_schema VARCHAR", "table_name VARCHAR",
          "view_definition VARCHAR");
      default -> null;
    };
  }

  private Relation namespaces() {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {PG_CATALOG_OID, "pg_catalog", OWNER_OID, null});
    rows.add(new Object[] {INFORMATION_SCHEMA_OID, "information_schema", OWNER_OID, null});
    for (String db : databases) {
      rows.add(new Object[] {namespaceOid(db), db, OWNER_OID, null});
    }
    return new Relation(cols("oid INTEGER", "nspname VARCHAR", "nspowner INTEGER", "nspacl VARCHAR[]"), rows);
  }

  private Relation classes() {
    List<Object[]> rows = new ArrayList<>();
    for (TableInfo t : tables) {
      rows.add(new Object[] {tableOid(t), t.table(), namespaceOid(t.database()), 0, 0, OWNER_OID, 2, 0, 0, 0,
          -1.0, t.schema().size(), "r", "p", "d", false, false, false, false, false, false, false, 0, 0, null,
          null, false});
    }
    return new Relation(cols("oid INTEGER", "relname VARCHAR", "relnamespace INTEGER", "reltype INTEGER",
        "reloftype INTEGER", "relowner INTEGER", "relam INTEGER", "relfilenode INTEGER", "reltoastrelid INTEGER",
        "reltablespace INTEGER", "reltuples DOUBLE", "relnatts INTEGER", "relkind VARCHAR", "relpersistence VARCHAR",
        "relreplident VARCHAR", "relhasindex BOOLEAN", "relhasrules BOOLEAN", "relhastriggers BOOLEAN",
        "relrowsecurity BOOLEAN", "relforcerowsecurity BOOLEAN", "relispartition BOOLEAN", "relisshared BOOLEAN",
        "relchecks INTEGER", "relpages INTEGER", "reloptions VARCHAR[]", "relacl VARCHAR[]", "relhassubclass BOOLEAN"),
        rows);
  }

  private Relation attributes() {
    List<Object[]> rows = new ArrayList<>();
    for (TableInfo t : tables) {
      int n = 0;
      for (Field f : t.schema().fields()) {
        PgType type = PgType.of(f.type());
        rows.add(new Object[] {tableOid(t), f.name(), type.oid, ++n, PgType.typmod(f.type()), !f.nullable(), false,
            false, "", "", type.size, 0, -1, type.size < 0 ? "x" : "p", "", 0, true, 0, null, null});
      }
    }
    return new Relation(cols("attrelid INTEGER", "attname VARCHAR", "atttypid INTEGER", "attnum INTEGER",
        "atttypmod INTEGER", "attnotnull BOOLEAN", "attisdropped BOOLEAN", "atthasdef BOOLEAN", "attidentity VARCHAR",
        "attgenerated VARCHAR", "attlen INTEGER", "attcollation INTEGER", "attstattarget INTEGER", "attstorage VARCHAR",
        "attcompression VARCHAR", "attinhcount INTEGER", "attislocal BOOLEAN", "attndims INTEGER",
        "attoptions VARCHAR[]", "attfdwoptions VARCHAR[]"), rows);
  }

  private Relation types() {
    List<Object[]> rows = new ArrayList<>();
    for (PgType t : PgType.all()) {
      rows.add(new Object[] {t.oid, t.typname, PG_CATALOG_OID, OWNER_OID, t.size, true, "b", String.valueOf(t.category),
          false, 0, 0, 0, 0, -1, false, 0, null, 0, ",", t.typname + "in", t.typname + "out"});
    }
    return new Relation(cols("oid INTEGER", "typname VARCHAR", "typnamespace INTEGER", "typowner INTEGER",
        "typlen INTEGER", "typbyval BOOLEAN", "typtype VARCHAR", "typcategory VARCHAR", "typispreferred BOOLEAN",
        "typrelid INTEGER", "typelem INTEGER", "typarray INTEGER", "typbasetype INTEGER", "typtypmod INTEGER",
        "typnotnull BOOLEAN", "typndims INTEGER", "typdefault VARCHAR", "typcollation INTEGER", "typdelim VARCHAR",
        "typinput VARCHAR", "typoutput VARCHAR"), rows);
  }

  private Relation descriptions() {
    List<Object[]> rows = new ArrayList<>();
    databaseDescriptions.forEach((db, d) -> {
      if (d != null && !d.isEmpty()) {
        rows.add(new Object[] {namespaceOid(db), PG_NAMESPACE_CLASS_OID, 0, d});
      }
    });
    for (TableInfo t : tables) {
      if (t.description() != null && !t.description().isEmpty()) {
        rows.add(new Object[] {tableOid(t), PG_CLASS_OID, 0, t.description()});
      }
      int n = 0;
      for (Field f : t.schema().fields()) {
        n++;
        if (f.description() != null && !f.description().isEmpty()) {
          rows.add(new Object[] {tableOid(t), PG_CLASS_OID, n, f.description()});
        }
      }
    }
    return new Relation(cols("objoid INTEGER", "classoid INTEGER", "objsubid INTEGER", "description VARCHAR"), rows);
  }

  private Relation columns() {
    List<Object[]> rows = new ArrayList<>();
    for (TableInfo t : tables) {
      int n = 0;
      for (Field f : t.schema().fields()) {
        PgType type = PgType.of(f.type());
        Integer precision = null;
        Integer scale = null;
        if (f.type() instanceof io.neuralake.types.DataType.Decimal d) {
          precision = d.precision();
          scale = d.scale();
        } else if (type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8) {
          precision = type.size * 8 - 1;
          scale = 0;
        } else if (type == PgType.FLOAT4 || type == PgType.FLOAT8) {
          precision = type == PgType.FLOAT4 ? 24 : 53;
        }
        rows.add(new Object[] {catalogName, t.database(), t.table(), f.name(), ++n, null, f.nullable() ? "YES" : "NO",
            type.sqlName, null, precision, scale, "pg_catalog", type.typname, catalogName});
      }
    }
    return new Relation(cols("table_catalog VARCHAR", "table_schema VARCHAR", "table_name VARCHAR",
        "column_name VARCHAR", "ordinal_position INTEGER", "column_default VARCHAR", "is_nullable VARCHAR",
        "data_type VARCHAR", "character_maximum_length INTEGER", "numeric_precision INTEGER", "numeric_scale INTEGER",
        "udt_schema VARCHAR", "udt_name VARCHAR", "udt_catalog VARCHAR"), rows);
  }

  private static Relation empty(String... columns) {
    return new Relation(List.of(columns), List.of());
  }

  private static List<String> cols(String... columns) {
    return List.of(columns);
  }
}
