package io.neuralake.server.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.catalog.Catalog;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;

/**
 * An OpenAPI 3 document of the caller's HTTP API: {@code /api/sql}, {@code /api/graphql}, and one
 * path per table ({@code /api/tables/db.table}) with its columns, sort, limit, page and one
 * {@code filter[column]} parameter per column, typed like the column.
 */
final class OpenApiDocument {
  private static final String[] FORMATS = {"application/json", "application/x-ndjson", "text/csv", "application/csv",
      "application/vnd.apache.arrow.stream", "application/vnd.apache.arrow.file", "application/vnd.apache.parquet"};

  private OpenApiDocument() {}

  static ObjectNode of(Catalog catalog, String version) {
    ObjectNode doc = HttpErrors.JSON.createObjectNode();
    doc.put("openapi", "3.0.3");
    doc.putObject("info").put("title", "Neuralake catalog " + catalog.name()).put("version", version)
        .put("description", "SQL, REST and GraphQL over the tables of catalog " + catalog.name() + ".");
    doc.putObject("components").putObject("securitySchemes").putObject("bearer").put("type", "http")
        .put("scheme", "bearer");
    doc.putArray("security").addObject().putArray("bearer");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode sql = paths.putObject("/api/sql").putObject("post");
    sql.put("summary", "Run one SQL query (a read) over the catalog's tables, named db.table.");
    sql.putObject("requestBody").put("required", true).putObject("content").putObject("text/plain")
        .putObject("schema").put("type", "string");
    responses(sql);
    ObjectNode gql = paths.putObject("/api/graphql").putObject("post");
    gql.put("summary", "Run a GraphQL query; each table is a field named db_table with filter, sort, limit, page.");
    gql.putObject("requestBody").put("required", true).putObject("content").putObject("application/graphql")
        .putObject("schema").put("type", "string");
    gql.putObject("responses").putObject("200").put("description", "{\"data\": ...}");
    for (String db : catalog.dbs()) {
      for (String t : catalog.db(db).tables()) {
        TableRef ref = TableRef.of(catalog, db, t);
        ObjectNode get = paths.putObject("/api/tables/" + ref.qualified()).putObject("get");
        get.put("summary", "Rows of " + ref.qualified());
        get.put("description", ref.definition().metadata().description());
        get.put("operationId", "read_" + db + "_" + t);
        ArrayNode params = get.putArray("parameters");
        param(params, "columns", "Columns to return, comma-separated.", "string");
        param(params, "sort", "Columns to sort by, comma-separated; -column sorts descending.", "string");
        param(params, "limit", "The most rows to return (the page size with page).", "integer");
        param(params, "page", "Which page of limit rows to return, from 1.", "integer");
        for (Field f : ref.schema().fields()) {
          boolean partition = ref.definition().partitions().stream().anyMatch(p -> p.column().equals(f.name()));
          param(params, "filter[" + f.name() + "]", "Rows whose " + f.name() + " (" + f.type().typeName() + ") equals"
              + " this (NULL: is null); also filter[" + f.name() + "]ne|lt|lte|gt|gte|in|contains."
              + (partition ? " A partition column: filters on it skip partitions." : ""), type(f.type()));
        }
        responses(get);
      }
    }
    return doc;
  }

  private static void param(ArrayNode params, String name, String description, String type) {
    params.addObject().put("name", name).put("in", "query").put("required", false).put("description", description)
        .putObject("schema").put("type", type);
  }

  private static String type(DataType type) {
    if (type.equals(DataType.BOOLEAN)) {
      return "boolean";
    }
    if (type.isInteger()) {
      return "integer";
    }
    return type.isNumeric() ? "number" : "string";
  }

  private static void responses(ObjectNode operation) {
    ObjectNode responses = operation.putObject("responses");
    ObjectNode ok = responses.putObject("200").put("description", "The rows, in the format Accept asks for.");
    ObjectNode content = ok.putObject("content");
    for (String f : FORMATS) {
      ObjectNode schema = content.putObject(f).putObject("schema");
      if (f.equals("application/json")) {
        schema.put("type", "array").putObject("items").put("type", "object");
      } else {
        schema.put("type", "string").put("format", "binary");
      }
    }
    for (String status : new String[] {"400", "401", "404", "413", "429", "503", "504"}) {
      responses.putObject(status).put("description", "{\"error\": {\"code\": ..., \"message\": ...}}");
    }
  }
}
