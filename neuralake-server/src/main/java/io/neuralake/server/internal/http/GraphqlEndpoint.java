package io.neuralake.server.internal.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.SelectedField;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.QueryService;
import io.neuralake.spi.Values;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * {@code POST /api/graphql}: a GraphQL document (as ROAPI takes it, the body itself; or the usual
 * {@code {"query": ..., "variables": ...}} JSON) over the caller's tables. Each table field is one
 * {@link TableRead}, run through the query service like every other query.
 *
 * <p>GraphQL answers are one JSON document, but ours stream like REST results: graphql-java
 * parses, validates and resolves the document (arguments, variables, fragments, aliases) with
 * fetchers that only record each table field's read; every read is then prepared (so a mistake in
 * any of them is a 4xx before the answer starts) and the answer written field by field, rows as
 * the engine makes them, so a field may return more rows than the server holds in memory (up to
 * the server's row cap, as any query).
 */
final class GraphqlEndpoint {
  static final int MAX_TABLE_READS = 16;

  private final QueryService queries;

  GraphqlEndpoint(QueryService queries) {
    this.queries = queries;
  }

  /** One top-level field of the answer whose rows come from a table read. */
  record TableField(String key, TableRead read, List<RowKey> keys) {}

  /** A key of each row: a column, or {@code __typename} (column null), whose value is the row type's name. */
  record RowKey(String key, String column, String typeName) {}

  /**
   * The document resolved: the answer's top-level keys in order, each either a table field (whose
   * rows are read when written) or a value graphql-java computed (introspection, {@code __typename}).
   */
  record Answer(Map<String, Object> data, Map<String, TableField> tables) {}

  /** Resolves the document; an invalid document, or a bad argument of any field, is an exception the door answers with. */
  Answer plan(Principal who, String body) {
    String document = body;
    Map<String, Object> variables = Map.of();
    String operation = null;
    String trimmed = body.strip();
    if (trimmed.startsWith("{") && trimmed.contains("\"query\"")) {
      try {
        JsonNode json = HttpErrors.JSON.readTree(trimmed);
        if (json.isObject() && json.path("query").isTextual()) {
          document = json.get("query").asText();
          if (json.path("variables").isObject()) {
            variables = HttpErrors.JSON.convertValue(json.get("variables"), Map.class);
          }
          operation = json.path("operationName").isTextual() ? json.get("operationName").asText() : null;
        }
      } catch (JsonProcessingException e) {
        // not JSON: the body is the document itself, as ROAPI takes it
      }
    }
    Map<String, TableField> tables = new LinkedHashMap<>();
    GraphQL graphql = GraphQL.newGraphQL(GraphqlSchema.of(queries.catalog(who), t -> recorder(t, tables))).build();
    ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput().query(document)
        .variables(variables).operationName(operation).build());
    for (GraphQLError e : result.getErrors()) {
      if (e instanceof ExceptionWhileDataFetching f) {
        if (f.getException() instanceof RuntimeException r) {
          throw r;
        }
        throw new NeuralakeException(ErrorCode.INTERNAL, "GraphQL field " + f.getPath() + " failed", f.getException());
      }
    }
    if (!result.getErrors().isEmpty()) {
      GraphQLError first = result.getErrors().get(0);
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "GraphQL: " + first.getMessage()
          + (result.getErrors().size() > 1 ? " (and " + (result.getErrors().size() - 1) + " more errors)" : ""));
    }
    Map<String, Object> data = result.getData();
    return new Answer(data == null ? Map.of() : data, tables);
  }

  /** Starts the response once every read is prepared: the status and headers go out, the body follows. */
  @FunctionalInterface
  interface ResponseStart {
    OutputStream start() throws IOException;
  }

  /**
   * Prepares every table field's read (a mistake in any is an exception before the response
   * starts), then writes the answer, {@code {"data": {...}}}, each table field's rows streamed from
   * its query in turn.
   */
  void write(Principal who, Answer answer, ResponseStart response) throws IOException {
    Map<String, Query> prepared = new LinkedHashMap<>();
    try {
      for (TableField t : answer.tables().values()) {
        prepared.put(t.key(), t.read().frame().prepare());
      }
      try (JsonGenerator g = HttpErrors.JSON.getFactory().createGenerator(response.start())) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeObjectFieldStart("data");
        for (Map.Entry<String, Object> e : answer.data().entrySet()) {
          g.writeFieldName(e.getKey());
          TableField table = answer.tables().get(e.getKey());
          if (table == null) {
            HttpErrors.JSON.writeValue(g, e.getValue());
          } else {
            rows(who, table, prepared.get(table.key()), g);
          }
        }
        g.writeEndObject();
        g.writeEndObject();
      }
    } finally {
      prepared.values().forEach(Query::close);
    }
  }

  private void rows(Principal who, TableField table, Query query, JsonGenerator g) throws IOException {
    try (QueryService.Result result = queries.open(who, "http", "graphql " + table.read().describe(), query)) {
      try {
        ArrowReader reader = result.reader();
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        g.writeStartArray();
        while (reader.loadNextBatch()) {
          int n = root.getRowCount();
          for (int r = 0; r < n; r++) {
            g.writeStartObject();
            for (RowKey k : table.keys()) {
              g.writeFieldName(k.key());
              if (k.column() == null) {
                g.writeString(k.typeName());
              } else {
                Cells.json(g, Values.arrowValue(root.getVector(k.column()), r));
              }
            }
            g.writeEndObject();
          }
          g.flush();
          result.sent(n, 0);
        }
        g.writeEndArray();
      } catch (IOException | RuntimeException e) {
        result.failed(e);
        throw e;
      }
    }
  }

  /** A fetcher that records its field's read and returns no rows: the rows are written later, streamed. */
  private static DataFetcher<List<Map<String, Object>>> recorder(TableRef table, Map<String, TableField> tables) {
    return env -> {
      if (tables.size() >= MAX_TABLE_READS) {
        throw new NeuralakeException(ErrorCode.REQUEST_TOO_LARGE, "a GraphQL request reads at most " + MAX_TABLE_READS
            + " tables; send several requests");
      }
      List<RowKey> keys = new ArrayList<>();
      String typeName = GraphQLTypeUtil.unwrapAll(env.getFieldType()).getName();
      for (SelectedField f : env.getSelectionSet().getImmediateFields()) {
        if (keys.stream().noneMatch(k -> k.key().equals(f.getResultKey()))) {
          keys.add(new RowKey(f.getResultKey(), f.getName().equals("__typename") ? null : f.getName(), typeName));
        }
      }
      String key = env.getField().getResultKey();
      tables.put(key, new TableField(key, read(table, env), keys));
      return List.of();
    };
  }

  private static TableRead read(TableRef table, DataFetchingEnvironment env) {
    TableRead read = new TableRead(table);
    String field = GraphqlSchema.fieldName(table.db(), table.table());
    Map<String, Object> filter = env.getArgument("filter");
    if (filter != null) {
      filter.forEach((column, spec) -> {
        if (spec instanceof Map<?, ?> ops) {
          ops.forEach((op, value) -> filter(read, column, String.valueOf(op), value, field));
        } else {
          filter(read, column, spec instanceof List<?> ? "in" : "eq", spec, field);
        }
      });
    }
    List<Map<String, Object>> sort = env.getArgument("sort");
    if (sort != null) {
      for (Map<String, Object> key : sort) {
        String order = key.get("order") == null ? "asc" : key.get("order").toString();
        if (!order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, field + "(sort: ...): order '" + order + "' is not"
              + " asc or desc");
        }
        read.sort(String.valueOf(key.get("field")), order.equalsIgnoreCase("desc"), field + "(sort: ...)");
      }
    }
    Integer limit = env.getArgument("limit");
    if (limit != null) {
      read.limit(limit, field + "(limit: " + limit + ")");
    }
    Integer page = env.getArgument("page");
    if (page != null) {
      read.page(page, field + "(page: " + page + ")");
    }
    List<String> columns = new ArrayList<>();
    for (SelectedField f : env.getSelectionSet().getImmediateFields()) {
      if (!f.getName().startsWith("__") && !columns.contains(f.getName())) {
        columns.add(f.getName());
      }
    }
    read.columns(columns, field);
    return read;
  }

  private static void filter(TableRead read, String column, String op, Object value, String field) {
    String shown = field + "(filter: {" + column + ": {" + op + ": " + value + "}})";
    if (value instanceof List<?> list) {
      if (!op.equals("in")) {
        throw new NeuralakeException(ErrorCode.INVALID_FILTER, shown + ": only 'in' takes a list of values");
      }
      read.filterIn(column, list.stream().map(String::valueOf).toList(), shown);
    } else {
      read.filter(column, RestParams.operator(op.equals("in") ? "eq" : op, shown), String.valueOf(value), shown);
    }
  }
}
