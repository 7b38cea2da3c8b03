package io.neuralake.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.SelectedField;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.QueryService;
import io.neuralake.spi.Values;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * {@code POST /api/graphql}: a GraphQL document (as ROAPI takes it, the body itself; or the usual
 * {@code {"query": ..., "variables": ...}} JSON) over the caller's tables. Each table field is one
 * {@link TableRead}, run through the query service like every other query. A GraphQL answer is
 * one JSON document, so its rows are held in memory: each field returns at most
 * {@link #MAX_ROWS} rows (page through more, or use REST or SQL, which stream).
 */
final class GraphqlEndpoint {
  static final int MAX_ROWS = 100_000;
  static final int MAX_TABLE_READS = 16;

  private final QueryService queries;

  GraphqlEndpoint(QueryService queries) {
    this.queries = queries;
  }

  /** Runs the document; the data, or the first error as an exception the door answers with. */
  Map<String, Object> run(Principal who, String body) {
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
    AtomicInteger reads = new AtomicInteger();
    GraphQL graphql = GraphQL.newGraphQL(GraphqlSchema.of(queries.catalog(who), t -> fetcher(who, t, reads))).build();
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
    return result.toSpecification();
  }

  private DataFetcher<List<Map<String, Object>>> fetcher(Principal who, TableRef table, AtomicInteger reads) {
    return env -> {
      if (reads.incrementAndGet() > MAX_TABLE_READS) {
        throw new NeuralakeException(ErrorCode.REQUEST_TOO_LARGE, "a GraphQL request reads at most " + MAX_TABLE_READS
            + " tables; send several requests");
      }
      TableRead read = read(table, env);
      try (Query q = read.frame().prepare();
          QueryService.Result result = queries.open(who, "http", "graphql " + read.describe(), q)) {
        try {
          return rows(result);
        } catch (RuntimeException e) {
          result.failed(e);
          throw e;
        }
      }
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

  private static List<Map<String, Object>> rows(QueryService.Result result) throws java.io.IOException {
    ArrowReader reader = result.reader();
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    List<Map<String, Object>> rows = new ArrayList<>();
    while (reader.loadNextBatch()) {
      int n = root.getRowCount();
      if (rows.size() + n > MAX_ROWS) {
        throw new NeuralakeException(ErrorCode.ROW_LIMIT, "a GraphQL field returns at most " + MAX_ROWS + " rows; give"
            + " limit and page, or read through REST or SQL, which stream any number of rows");
      }
      for (int r = 0; r < n; r++) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (FieldVector v : root.getFieldVectors()) {
          row.put(v.getName(), jsonable(Values.arrowValue(v, r)));
        }
        rows.add(row);
      }
      result.sent(n, 0);
    }
    return rows;
  }

  private static Object jsonable(Object v) {
    return switch (v) {
      case null -> null;
      case Temporal t -> Cells.text(t);
      case byte[] b -> Cells.text(b);
      case List<?> l -> l.stream().map(GraphqlEndpoint::jsonable).toList();
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), jsonable(x)));
        yield out;
      }
      default -> v;
    };
  }
}
