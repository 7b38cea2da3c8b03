package io.neuralake.server.internal.flight;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Flight SQL's catalog metadata over what the caller may read, in the standard result schemas:
 * the catalog is the catalog, its databases are schemas, their tables are tables (type
 * {@code TABLE}) with their Arrow schemas read from metadata only.
 */
final class CatalogMetadata {
  static final String TABLE = "TABLE";

  private CatalogMetadata() {}

  static void catalogs(Catalog catalog, BufferAllocator allocator, ServerStreamListener listener) {
    send(Schemas.GET_CATALOGS_SCHEMA, allocator, listener, List.<String[]>of(new String[] {catalog.name()}), root -> {});
  }

  static void schemas(Catalog catalog, CommandGetDbSchemas request, BufferAllocator allocator,
      ServerStreamListener listener) {
    List<String[]> rows = new ArrayList<>();
    if (catalogMatches(catalog, request.hasCatalog() ? request.getCatalog() : null)) {
      Pattern schema = like(request.hasDbSchemaFilterPattern() ? request.getDbSchemaFilterPattern() : null);
      catalog.dbs().stream().sorted().filter(db -> schema.matcher(db).matches())
          .forEach(db -> rows.add(new String[] {catalog.name(), db}));
    }
    send(Schemas.GET_SCHEMAS_SCHEMA, allocator, listener, rows, root -> {});
  }

  static void tables(Catalog catalog, CommandGetTables request, BufferAllocator allocator, ServerStreamListener listener) {
    List<String[]> rows = new ArrayList<>();
    boolean typeMatches = request.getTableTypesCount() == 0 || request.getTableTypesList().stream()
        .anyMatch(TABLE::equalsIgnoreCase);
    if (typeMatches && catalogMatches(catalog, request.hasCatalog() ? request.getCatalog() : null)) {
      Pattern schema = like(request.hasDbSchemaFilterPattern() ? request.getDbSchemaFilterPattern() : null);
      Pattern table = like(request.hasTableNameFilterPattern() ? request.getTableNameFilterPattern() : null);
      for (String db : catalog.dbs().stream().sorted().toList()) {
        if (schema.matcher(db).matches()) {
          catalog.db(db).tables().stream().sorted().filter(t -> table.matcher(t).matches())
              .forEach(t -> rows.add(new String[] {catalog.name(), db, t, TABLE}));
        }
      }
    }
    boolean withSchemas = request.getIncludeSchema();
    send(withSchemas ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA, allocator, listener, rows,
        root -> {
          if (withSchemas) {
            VarBinaryVector schemas = (VarBinaryVector) root.getVector("table_schema");
            for (int r = 0; r < rows.size(); r++) {
              String[] row = rows.get(r);
              Schema arrow = ArrowSchemas.of(catalog.db(row[1]).table(row[2]).schema(), allocator);
              schemas.setSafe(r, ArrowSchemas.serialize(arrow));
            }
          }
        });
  }

  static void tableTypes(BufferAllocator allocator, ServerStreamListener listener) {
    send(Schemas.GET_TABLE_TYPES_SCHEMA, allocator, listener, List.<String[]>of(new String[] {TABLE}), root -> {});
  }

  /** A result with no rows: what keys and cross references are here (tables have none). */
  static void empty(Schema schema, BufferAllocator allocator, ServerStreamListener listener) {
    send(schema, allocator, listener, List.of(), root -> {});
  }

  /** One batch: {@code rows} fill the leading text columns, {@code more} the rest. */
  private static void send(Schema schema, BufferAllocator allocator, ServerStreamListener listener, List<String[]> rows,
      Consumer<VectorSchemaRoot> more) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (int r = 0; r < rows.size(); r++) {
        String[] row = rows.get(r);
        for (int c = 0; c < row.length; c++) {
          ((VarCharVector) root.getVector(c)).setSafe(r, row[c].getBytes(UTF_8));
        }
      }
      more.accept(root);
      root.setRowCount(rows.size());
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  private static boolean catalogMatches(Catalog catalog, String asked) {
    return asked == null || asked.isEmpty() || asked.equals(catalog.name());
  }

  /**
   * A SQL LIKE pattern as a regular expression: {@code %} any text, {@code _} one character,
   * {@code \} escapes the next; everything else literal. No pattern matches everything.
   */
  static Pattern like(String pattern) {
    if (pattern == null) {
      return Pattern.compile(".*", Pattern.DOTALL);
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
