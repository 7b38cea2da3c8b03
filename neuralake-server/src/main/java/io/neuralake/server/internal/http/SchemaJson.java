package io.neuralake.server.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.catalog.Catalog;
import io.neuralake.types.Field;

/**
 * ROAPI's {@code /api/schema} shape of the caller's tables (table name to {@code fields}), from metadata only. The
 * whole catalog as JSON is the site's versioned export ({@code /api/catalog}), not this.
 */
final class SchemaJson {
  private SchemaJson() {}

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
}
