package io.neuralake.server.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.Database;
import io.neuralake.table.Partition;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;

/**
 * The caller's catalog as JSON, from metadata only: ROAPI's {@code /api/schema} shape (table name
 * to {@code fields}) and the fuller {@code /api/catalog} export (databases, tables, descriptions,
 * columns, partitions). Storage locations are left out: they are the server's business.
 */
final class CatalogJson {
  private CatalogJson() {}

  /** {@code {"db.table": {"fields": [...]}, ...}} for every table the caller may read. */
  static ObjectNode schemas(Catalog catalog) {
    ObjectNode out = HttpErrors.JSON.createObjectNode();
    for (String db : catalog.dbs()) {
      for (String t : catalog.db(db).tables()) {
        out.set(db + "." + t, schema(TableRef.of(catalog, db, t)));
      }
    }
    return out;
  }

  /** {@code {"fields": [{"name", "data_type", "nullable"}...]}} of one table. */
  static ObjectNode schema(TableRef table) {
    ObjectNode out = HttpErrors.JSON.createObjectNode();
    ArrayNode fields = out.putArray("fields");
    for (Field f : table.schema().fields()) {
      fields.addObject().put("name", f.name()).put("data_type", f.type().typeName()).put("nullable", f.nullable());
    }
    return out;
  }

  /** The catalog export: its databases, and each table's description, kind, columns and partitions. */
  static ObjectNode catalog(Catalog catalog) {
    ObjectNode out = HttpErrors.JSON.createObjectNode();
    out.put("name", catalog.name());
    ArrayNode dbs = out.putArray("databases");
    for (String name : catalog.dbs()) {
      Database db = catalog.db(name);
      ObjectNode d = dbs.addObject().put("name", name).put("description", db.description());
      ArrayNode tables = d.putArray("tables");
      for (String t : db.tables(true)) {
        tables.add(table(TableRef.of(catalog, name, t)));
      }
    }
    return out;
  }

  private static ObjectNode table(TableRef ref) {
    TableDefinition def = ref.definition();
    ObjectNode t = HttpErrors.JSON.createObjectNode();
    t.put("name", ref.table()).put("qualified_name", ref.qualified()).put("kind", def.kind())
        .put("description", def.metadata().description());
    if (def.metadata().isDeprecated()) {
      t.put("deprecated", def.metadata().deprecated());
    }
    putIfSet(t, "data_input", def.metadata().dataInput());
    putIfSet(t, "latency", def.metadata().latencyInfo());
    putIfSet(t, "example_notebook", def.metadata().exampleNotebook());
    t.put("versioned", def.hasVersions());
    t.put("endpoint", "/api/tables/" + ref.qualified());
    Schema schema = ref.schema();
    ArrayNode columns = t.putArray("columns");
    for (Field f : schema.fields()) {
      ObjectNode c = columns.addObject().put("name", f.name()).put("type", f.type().typeName())
          .put("nullable", f.nullable());
      putIfSet(c, "description", f.description());
    }
    ArrayNode partitions = t.putArray("partitions");
    for (Partition p : def.partitions()) {
      partitions.addObject().put("column", p.column()).put("type", p.type().typeName());
    }
    return t;
  }

  private static void putIfSet(ObjectNode node, String key, String value) {
    if (value != null && !value.isBlank()) {
      node.put(key, value);
    }
  }
}
