package io.neuralake.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.filter.Operator;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.internal.plan.PredicateConverter;
import io.neuralake.internal.plan.TableResolver;
import io.neuralake.table.Partition;
import io.neuralake.types.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Runs SQL over catalog tables. DuckDB parses the text into its own syntax tree
 * ({@code json_serialize_sql}); each {@code db.table} reference is replaced by a common table
 * expression holding the table's planned scan, pruned with the conjunctive predicates of the WHERE clause that
 * concern it; DuckDB then turns the tree back into SQL ({@code json_deserialize_sql}). The query
 * still applies all its predicates, so pruning only ever skips data that cannot match.
 */
final class SqlRewriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Schemas of DuckDB itself, which SQL may name and which are not catalog databases. */
  private static final Set<String> ENGINE_SCHEMAS = Set.of("main", "pg_catalog", "information_schema", "temp", "system");

  private final Session session;
  private final TableResolver catalog;
  private final SqlCompiler compiler;
  private final Set<JsonNode> rewritten = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> cteNames = new HashSet<>();
  /** {@code name AS (scan)} for each table reference replaced. */
  private final List<String> scans = new ArrayList<>();
  /** The columns the statement names, so that streams read no others. */
  private ColumnUse columnUse;

  SqlRewriter(Session session, TableResolver catalog, SqlCompiler compiler) {
    this.session = session;
    this.catalog = catalog;
    this.compiler = compiler;
  }

  String rewrite(String sql) {
    ObjectNode tree = parse(sql);
    collectCteNames(tree);
    columnUse = ColumnUse.of(tree);
    if (sandboxed()) {
      StatementGuard.check(tree, this::isCatalogTableOrCte);
    }
    visit(tree);
    return withScans(unparse(tree));
  }

  /**
   * Puts the table scans in front of the query as common table expressions (each is referenced
   * once, so the engine inlines it). A query with its own WITH clause gets them prepended to it;
   * the engine's unparsed SQL always starts with the keyword, so the text form is reliable.
   */
  private String withScans(String query) {
    if (scans.isEmpty()) {
      return query;
    }
    String ctes = String.join(", ", scans);
    for (String head : new String[] {"WITH RECURSIVE ", "WITH "}) {
      if (query.regionMatches(true, 0, head, 0, head.length())) {
        return head + ctes + ", " + query.substring(head.length());
      }
    }
    return "WITH " + ctes + " " + query;
  }

  private ObjectNode parse(String sql) {
    // a warm query's text was parsed before: the engine is asked once per text and engine
    String json = session.memo().parseTree(sql, text -> scalar("SELECT json_serialize_sql(?)", text));
    try {
      ObjectNode tree = (ObjectNode) JSON.readTree(json);
      if (tree.path("error").asBoolean(false)) {
        String kind = tree.path("error_type").asText("");
        String message = tree.path("error_message").asText("unknown error");
        if (kind.equals("not implemented") || message.contains("Only SELECT")) {
          if (sandboxed()) {
            throw StatementGuard.notAQuery(sql);
          }
          throw new NeuralakeException(ErrorCode.NOT_ALLOWED,
              "only SELECT queries can run over the catalog (" + message + ")");
        }
        throw new NeuralakeException(ErrorCode.INVALID_SQL,
            "the SQL does not parse: " + message + "\n  in: " + sql.strip());
      }
      if (tree.path("statements").size() != 1) {
        throw new NeuralakeException(ErrorCode.INVALID_SQL,
            "give one SELECT statement at a time; got " + tree.path("statements").size());
      }
      return tree;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the engine's parse tree is not JSON: " + e.getMessage(), e);
    }
  }

  private String unparse(ObjectNode tree) {
    try {
      return session.memo().unparse(JSON.writeValueAsString(tree), json -> scalar("SELECT json_deserialize_sql(?)", json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code SELECT <expression> AS v}, for the engine to evaluate one expression of the tree on its own. */
  private String selectExpression(JsonNode expression) {
    ObjectNode tree = parse("SELECT NULL AS v");
    ObjectNode copy = expression.deepCopy();
    copy.put("alias", "v");
    ((com.fasterxml.jackson.databind.node.ArrayNode) tree.path("statements").get(0).path("node").path("select_list"))
        .set(0, copy);
    return unparse(tree);
  }

  private String scalar(String query, String argument) {
    try (PreparedStatement ps = sessionConnection().prepareStatement(query)) {
      ps.setString(1, argument);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new NeuralakeException(ErrorCode.INVALID_SQL, "the SQL could not be processed: " + e.getMessage(), e);
    }
  }

  private java.sql.Connection sessionConnection() {
    return session.connection();
  }

  private void collectCteNames(JsonNode node) {
    if (node.isObject()) {
      JsonNode map = node.path("cte_map").path("map");
      for (JsonNode entry : map) {
        cteNames.add(entry.path("key").asText().toLowerCase(Locale.ROOT));
      }
    }
    node.forEach(this::collectCteNames);
  }

  private void visit(JsonNode node) {
    if (node.isObject() && "SELECT_NODE".equals(node.path("type").asText())) {
      rewriteSelect((ObjectNode) node);
    }
    for (JsonNode child : node) {
      visit(child);
    }
  }

  /** Replaces the catalog tables in one SELECT's FROM clause, pruned by its WHERE clause. */
  private void rewriteSelect(ObjectNode select) {
    List<ObjectNode> refs = new ArrayList<>();
    collectBaseTables(select.path("from_table"), refs);
    List<JsonNode> conjuncts = new ArrayList<>();
    collectConjuncts(select.path("where_clause"), conjuncts);
    for (ObjectNode ref : refs) {
      if (!rewritten.add(ref)) {
        continue;
      }
      Optional<PlanNode.Scan> scan = resolve(ref);
      JsonNode at = ref.path("at_clause");
      if (at.isObject()) {
        if (scan.isEmpty()) {
          throw new NeuralakeException(ErrorCode.NOT_SUPPORTED,
              "AT (" + at.path("unit").asText() + " => ...) reads a version of a Delta"
              + " table of the catalog; '" + ref.path("table_name").asText() + "' is not one (a common table expression"
              + " or a table of the engine)");
        }
        scan = Optional.of(new TimeTravel(sessionConnection(), this::selectExpression).apply(scan.get(), at));
        ref.putNull("at_clause");
      }
      if (scan.isEmpty()) {
        continue;
      }
      Binding binding = new Binding(ref, refs, scan.get());
      Filters pruning = Filters.none();
      for (JsonNode c : conjuncts) {
        Filters f = convert(c, binding);
        if (f != null) {
          pruning = PredicateConverter.and(pruning, f);
        }
      }
      String view = session.newName("table");
      String tableName = ref.path("table_name").asText();
      // only a SELECT reading this one table can say how many of its rows it needs
      OptionalLong limit = select.path("from_table") == ref ? SelectLimit.of(select) : OptionalLong.empty();
      scans.add(view + " AS (" + compiler.scan(scan.get(), pruning,
          columnUse.of(tableName, ref.path("alias").asText("")), limit) + ")");
      if (ref.path("alias").asText("").isEmpty()) {
        ref.put("alias", tableName);
      }
      ref.put("schema_name", "");
      ref.put("catalog_name", "");
      ref.put("table_name", view);
      ref.remove("qualified_name");
    }
  }

  private boolean sandboxed() {
    return session.engine().options().sandboxed();
  }

  private boolean isCatalogTableOrCte(ObjectNode ref) {
    boolean unqualified = ref.path("schema_name").asText("").isEmpty() && ref.path("catalog_name").asText("").isEmpty();
    return unqualified && cteNames.contains(ref.path("table_name").asText("").toLowerCase(Locale.ROOT))
        || resolve(ref).isPresent();
  }

  private Optional<PlanNode.Scan> resolve(ObjectNode ref) {
    String db = ref.path("schema_name").asText("");
    String table = ref.path("table_name").asText("");
    String catalogName = ref.path("catalog_name").asText("");
    if (!catalogName.isEmpty()) {
      // catalog.db.table: the first part names our catalog, whatever its name
      return lookup(db, table, true);
    }
    if (db.isEmpty()) {
      if (cteNames.contains(table.toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
      List<String> matches = catalog.tableNames().stream().filter(n -> n.endsWith("." + table)).toList();
      if (matches.size() == 1) {
        String[] parts = matches.get(0).split("\\.", 2);
        return catalog.resolve(parts[0], parts[1]);
      }
      if (matches.size() > 1) {
        throw new NeuralakeException(ErrorCode.INVALID_SQL,
            "the table name '" + table + "' is ambiguous; qualify it with its database: "
            + String.join(", ", matches));
      }
      return Optional.empty();
    }
    if (ENGINE_SCHEMAS.contains(db.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    return lookup(db, table, true);
  }

  private Optional<PlanNode.Scan> lookup(String db, String table, boolean required) {
    Optional<PlanNode.Scan> scan = catalog.resolve(db, table);
    if (scan.isEmpty() && required) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND,
          "table " + db + "." + table + " is not in the catalog; the tables are: "
          + String.join(", ", catalog.tableNames()));
    }
    return scan;
  }

  private static void collectBaseTables(JsonNode from, List<ObjectNode> out) {
    String type = from.path("type").asText("");
    if (type.equals("BASE_TABLE")) {
      out.add((ObjectNode) from);
    } else if (type.equals("JOIN")) {
      collectBaseTables(from.path("left"), out);
      collectBaseTables(from.path("right"), out);
    }
  }

  private static void collectConjuncts(JsonNode expr, List<JsonNode> out) {
    if (expr.isMissingNode() || expr.isNull()) {
      return;
    }
    if ("CONJUNCTION_AND".equals(expr.path("type").asText())) {
      expr.path("children").forEach(c -> collectConjuncts(c, out));
    } else {
      out.add(expr);
    }
  }

  /** Which column references of a WHERE clause belong to one table reference. */
  private static final class Binding {
    private final String qualifier;
    private final boolean onlyTable;
    private final Set<String> declared = new HashSet<>();

    Binding(ObjectNode ref, List<ObjectNode> all, PlanNode.Scan scan) {
      String alias = ref.path("alias").asText("");
      this.qualifier = (alias.isEmpty() ? ref.path("table_name").asText() : alias).toLowerCase(Locale.ROOT);
      this.onlyTable = all.size() == 1;
      scan.table().partitions().stream().map(Partition::column).forEach(declared::add);
      scan.table().declaredSchema().ifPresent(s -> s.fields().stream().map(Field::name).forEach(declared::add));
    }

    /** The column name if the reference is to this table, else null. */
    String column(JsonNode columnRef) {
      List<String> names = new ArrayList<>();
      columnRef.path("column_names").forEach(n -> names.add(n.asText()));
      if (names.size() == 1) {
        // unqualified: ours if we are the only table, or if we declare it (a valid query
        // cannot have it in two tables, or the engine would call it ambiguous)
        return onlyTable || declared.contains(names.get(0)) ? names.get(0) : null;
      }
      if (names.size() >= 2 && names.get(names.size() - 2).toLowerCase(Locale.ROOT).equals(qualifier)) {
        return names.get(names.size() - 1);
      }
      return null;
    }
  }

  /** A WHERE conjunct as filters on the bound table, or null if it does not convert exactly. */
  private static Filters convert(JsonNode e, Binding b) {
    String cls = e.path("class").asText("");
    String type = e.path("type").asText("");
    switch (cls) {
      case "CONJUNCTION" -> {
        List<Filters> parts = new ArrayList<>();
        for (JsonNode c : e.path("children")) {
          parts.add(convert(c, b));
        }
        if (type.equals("CONJUNCTION_AND")) {
          Filters out = Filters.none();
          for (Filters p : parts) {
            if (p != null) {
              out = PredicateConverter.and(out, p);
            }
          }
          return out.isEmpty() ? null : out;
        }
        List<List<Filter>> disjuncts = new ArrayList<>();
        for (Filters p : parts) {
          if (p == null || p.isEmpty()) {
            return null;
          }
          disjuncts.addAll(p.disjuncts());
        }
        return disjuncts.size() <= PredicateConverter.MAX_DISJUNCTS ? Filters.anyOf(disjuncts) : null;
      }
      case "COMPARISON" -> {
        Operator op = switch (type) {
          case "COMPARE_EQUAL" -> Operator.EQ;
          case "COMPARE_NOTEQUAL" -> Operator.NE;
          case "COMPARE_LESSTHAN" -> Operator.LT;
          case "COMPARE_GREATERTHAN" -> Operator.GT;
          case "COMPARE_LESSTHANOREQUALTO" -> Operator.LE;
          case "COMPARE_GREATERTHANOREQUALTO" -> Operator.GE;
          default -> null;
        };
        if (op == null) {
          return null;
        }
        String col = columnOf(e.path("left"), b);
        Object value = constant(e.path("right"));
        if (col == null || value == null) {
          col = columnOf(e.path("right"), b);
          value = constant(e.path("left"));
          op = op.mirrored();
        }
        return col == null || value == null ? null : Filters.all(new Filter(col, op, value));
      }
      case "OPERATOR" -> {
        if (!type.equals("COMPARE_IN") && !type.equals("COMPARE_NOT_IN")) {
          return null;
        }
        Iterator<JsonNode> it = e.path("children").iterator();
        String col = it.hasNext() ? columnOf(it.next(), b) : null;
        List<Object> values = new ArrayList<>();
        while (it.hasNext()) {
          Object v = constant(it.next());
          if (v == null) {
            return null;
          }
          values.add(v);
        }
        return col == null ? null
            : Filters.all(new Filter(col, type.equals("COMPARE_IN") ? Operator.IN : Operator.NOT_IN, values));
      }
      case "BETWEEN" -> {
        String col = columnOf(e.path("input"), b);
        Object lower = constant(e.path("lower"));
        Object upper = constant(e.path("upper"));
        return col == null || lower == null || upper == null ? null
            : Filters.all(new Filter(col, Operator.GE, lower), new Filter(col, Operator.LE, upper));
      }
      case "FUNCTION" -> {
        JsonNode args = e.path("arguments");
        if (!e.path("function_name").asText().equals("contains") || args.size() != 2) {
          return null;
        }
        String col = columnOf(args.get(0).path("expression"), b);
        Object value = constant(args.get(1).path("expression"));
        return col == null || !(value instanceof String) ? null : Filters.all(new Filter(col, Operator.CONTAINS, value));
      }
      default -> {
        return null;
      }
    }
  }

  private static String columnOf(JsonNode e, Binding b) {
    return "COLUMN_REF".equals(e.path("class").asText()) ? b.column(e) : null;
  }

  /**
   * The value of a constant (or a typed text literal, such as {@code DATE '2024-01-01'}); null if
   * not one. A cast of anything but text is not unwrapped: it can change the value
   * ({@code CAST(1.9 AS INTEGER)} is 2), and pruning with the uncast value would drop matching rows.
   */
  private static Object constant(JsonNode e) {
    String cls = e.path("class").asText("");
    if (cls.equals("CAST")) {
      return constant(e.path("child")) instanceof String text ? text : null;
    }
    if (!cls.equals("CONSTANT")) {
      return null;
    }
    JsonNode literal = e.path("literal");
    if (!literal.isMissingNode()) {
      String text = literal.path("text").asText();
      return switch (literal.path("kind").asText()) {
        case "INTEGER" -> {
          BigInteger big = new BigInteger(text);
          yield big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        case "NUMERIC" -> new BigDecimal(text);
        case "STRING" -> text;
        case "BOOLEAN" -> Boolean.parseBoolean(text);
        default -> null;
      };
    }
    JsonNode value = e.path("value");
    if (value.path("is_null").asBoolean(true)) {
      return null;
    }
    JsonNode v = value.path("value");
    return switch (v.getNodeType()) {
      case NUMBER -> v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.decimalValue();
      case STRING -> v.asText();
      case BOOLEAN -> v.asBoolean();
      default -> null;
    };
  }

}
