package io.neuralake.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sandboxed engine lets catalog SQL do, checked on the engine's own parse tree
 * ({@code json_serialize_sql}) before the engine sees the query: one SELECT, reading catalog
 * tables, common table expressions and table functions that compute rows from their arguments.
 * Everything else is refused with {@code NOT_ALLOWED}: other statements ({@code COPY},
 * {@code ATTACH}, {@code SET}, {@code INSTALL}, ...; the parser serialises only SELECTs), table
 * functions that read files or run SQL text, and names that are not catalog tables (file paths
 * such as {@code 'x.parquet'}, the engine's own tables). The engine's sandbox (no file access
 * outside its folders) stands behind it for anything the guard does not know.
 */
final class StatementGuard {
  /** Table functions whose rows come from their arguments alone: no file, no setting, no SQL text. */
  static final Set<String> ALLOWED_TABLE_FUNCTIONS =
      Set.of("range", "generate_series", "unnest", "repeat", "repeat_row", "json_each", "json_tree");
  /** Table functions that run SQL given as text, which this guard cannot see into. */
  private static final Set<String> RUNS_SQL = Set.of("query", "query_table", "json_execute_serialized_sql");
  /**
   * Scalar functions that tell about the engine and its host rather than compute from their
   * arguments: settings (a spill folder's path), environment variables.
   */
  private static final Set<String> ENGINE_FUNCTIONS = Set.of("current_setting", "getenv", "current_setting_value");
  private static final Pattern FIRST_WORD = Pattern.compile("^(?:\\s+|--[^\\n]*\\n?|/\\*.*?\\*/)*([A-Za-z_]+)", Pattern.DOTALL);

  private StatementGuard() {}

  /** The refusal of SQL that is not a SELECT (the parser serialises nothing else). */
  static NeuralakeException notAQuery(String sql) {
    Matcher m = FIRST_WORD.matcher(sql);
    // the keyword only names the statement in the message; the parser decided
    String statement = m.find() ? m.group(1).toUpperCase(Locale.ROOT) + " statements are" : "this statement is";
    return new NeuralakeException(ErrorCode.NOT_ALLOWED, statement + " not allowed on a sandboxed engine: it runs one"
        + " read query (SELECT) over the catalog's tables at a time");
  }

  /**
   * Refuses what a sandboxed engine does not run; {@code known} tells the catalog's tables and the
   * query's common table expressions from other names.
   */
  static void check(JsonNode tree, Predicate<ObjectNode> known) {
    if (tree.path("statements").size() != 1) {
      throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "a sandboxed engine runs one statement at a time; got "
          + tree.path("statements").size());
    }
    visit(tree, known);
  }

  private static void visit(JsonNode node, Predicate<ObjectNode> known) {
    if (node.isObject()) {
      switch (node.path("type").asText("")) {
        case "TABLE_FUNCTION" -> tableFunction(node.path("function").path("function_name").asText(""));
        case "FUNCTION" -> scalarFunction(node.path("function_name").asText(""));
        case "BASE_TABLE" -> {
          if (!known.test((ObjectNode) node)) {
            table(node);
          }
        }
        case "SHOW_REF" -> {
          String table = node.path("table_name").asText("");
          if (!table.isEmpty()) {
            throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "'" + table + "' is not allowed on a sandboxed engine:"
                + " it describes the engine's own objects; ask for a catalog table's schema instead");
          }
        }
        default -> { }
      }
    }
    node.forEach(child -> visit(child, known));
  }

  private static void scalarFunction(String name) {
    String fn = name.toLowerCase(Locale.ROOT);
    if (ENGINE_FUNCTIONS.contains(fn) || fn.startsWith("duckdb_") || fn.startsWith("pragma_")) {
      throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "the function " + name + "(...) is not allowed on a sandboxed"
          + " engine: it tells about the engine and its host, not about the catalog's data");
    }
  }

  private static void tableFunction(String name) {
    String fn = name.toLowerCase(Locale.ROOT);
    if (ALLOWED_TABLE_FUNCTIONS.contains(fn)) {
      return;
    }
    String why;
    if (fn.startsWith("read_") || fn.startsWith("parquet_") || fn.equals("glob") || fn.equals("sniff_csv")) {
      why = "it reads files, and a sandboxed engine reads only the catalog's tables";
    } else if (RUNS_SQL.contains(fn)) {
      why = "it runs SQL given as text";
    } else {
      why = "it is not one of the table functions a sandboxed engine allows (" + String.join(", ",
          new TreeSet<>(ALLOWED_TABLE_FUNCTIONS)) + ")";
    }
    throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "the table function " + name + "(...) is not allowed: " + why);
  }

  private static void table(JsonNode ref) {
    String schema = ref.path("schema_name").asText("");
    String name = ref.path("table_name").asText("");
    String shown = schema.isEmpty() ? name : schema + "." + name;
    if (name.matches(".*[/\\\\:*?].*|.*\\.[A-Za-z0-9]+")) {
      throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "reading the file '" + shown + "' directly is not allowed on a"
          + " sandboxed engine: it reads only the catalog's tables");
    }
    throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "'" + shown + "' is not a table of the catalog, and a sandboxed"
        + " engine reads only the catalog's tables (named db.table)");
  }
}
