package io.neuralake.server.internal.pg;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Result column names as PostgreSQL gives them (its parser's {@code FigureColname}), from the
 * engine's parse tree of the statement the client wrote: an alias is kept, a bare column keeps its
 * name, a function call is named after the function ({@code count(*)} is {@code count}, where the
 * engine says {@code count_star()}), a cast after what it casts or else its type ({@code x::int} is
 * {@code x}, {@code 1::int} is {@code int4}), a CASE after its ELSE or else {@code case}, and
 * anything else (literals, operators) is {@code ?column?}. Only the names clients are shown change;
 * the query runs as written.
 */
final class PgColumnNames {
  static final String UNNAMED = "?column?";
  /** The engine's spelling of a PostgreSQL type (lower case) and PostgreSQL's internal name for it. */
  private static final Map<String, String> TYPE_NAMES = Map.ofEntries(
      Map.entry("integer", "int4"), Map.entry("int", "int4"), Map.entry("signed", "int4"),
      Map.entry("bigint", "int8"), Map.entry("long", "int8"), Map.entry("smallint", "int2"),
      Map.entry("short", "int2"), Map.entry("double", "float8"), Map.entry("double precision", "float8"),
      Map.entry("float", "float8"), Map.entry("real", "float4"), Map.entry("decimal", "numeric"),
      Map.entry("character varying", "varchar"), Map.entry("string", "varchar"), Map.entry("char", "bpchar"),
      Map.entry("character", "bpchar"), Map.entry("boolean", "bool"), Map.entry("logical", "bool"),
      Map.entry("timestamp without time zone", "timestamp"), Map.entry("datetime", "timestamp"),
      Map.entry("timestamp with time zone", "timestamptz"), Map.entry("time without time zone", "time"),
      Map.entry("time with time zone", "timetz"), Map.entry("blob", "bytea"));
  /** Functions the engine's parser renames, by the name PostgreSQL's parser gives the call. */
  private static final Map<String, String> FUNCTION_NAMES = Map.of("count_star", "count", "trim", "btrim");

  private PgColumnNames() {}

  /** One item of a select list: a star (any number of columns), or one column. */
  record Item(Kind kind, String name) {
    static final Item STAR = new Item(Kind.STAR, null);
  }

  enum Kind {
    /** {@code *}, {@code t.*}, {@code COLUMNS(...)}: the engine's names, as many as it expands to. */
    STAR,
    /** A bare column: the engine's name (the column's own spelling). */
    COLUMN,
    /** An alias or a figured name. */
    NAMED
  }

  /**
   * The select list of the one statement in a parse tree ({@code json_serialize_sql}); empty when
   * the tree holds an error or more than one statement. {@code sql} is the parsed text (a call's
   * spelling is read from it where the engine's parser renamed it).
   */
  static Optional<List<Item>> items(JsonNode tree, String sql) {
    if (tree.path("error").asBoolean(false) || tree.path("statements").size() != 1) {
      return Optional.empty();
    }
    JsonNode node = firstSelect(tree.path("statements").get(0).path("node"));
    if (node == null) {
      return Optional.empty();
    }
    JsonNode list = node.path("select_list");
    if (list.size() == 1 && isStar(list.get(0)) && node.path("from_table").path("type").asText().equals("EXPRESSION_LIST")
        && node.path("from_table").path("values").size() > 0) {
      // VALUES (...): PostgreSQL names the columns column1, column2, ...
      List<Item> values = new ArrayList<>();
      for (int i = 1; i <= node.path("from_table").path("values").get(0).size(); i++) {
        values.add(new Item(Kind.NAMED, "column" + i));
      }
      return Optional.of(values);
    }
    List<Item> items = new ArrayList<>();
    for (JsonNode e : list) {
      String alias = e.path("alias").asText("");
      if (!alias.isEmpty()) {
        items.add(new Item(Kind.NAMED, alias));
      } else if (isStar(e)) {
        items.add(Item.STAR);
      } else if (e.path("type").asText().equals("COLUMN_REF")) {
        items.add(new Item(Kind.COLUMN, null));
      } else {
        items.add(new Item(Kind.NAMED, figure(e, sql).map(Named::name).orElse(UNNAMED)));
      }
    }
    return Optional.of(items);
  }

  /**
   * The names of a result whose engine names are {@code engine}: items before the first star and
   * after the last one are matched from each end, a star keeps the engine's names of the columns it
   * expands to. When the counts cannot match, the engine's names are kept.
   */
  static List<String> apply(List<Item> items, List<String> engine) {
    int first = items.indexOf(Item.STAR);
    int last = items.lastIndexOf(Item.STAR);
    int fixed = first < 0 ? items.size() : first + (items.size() - 1 - last);
    if (first < 0 ? items.size() != engine.size() : fixed > engine.size()) {
      return engine;
    }
    List<String> names = new ArrayList<>(engine);
    int prefix = first < 0 ? items.size() : first;
    for (int i = 0; i < prefix; i++) {
      names.set(i, name(items.get(i), engine.get(i)));
    }
    if (first >= 0) {
      for (int i = last + 1, j = engine.size() - (items.size() - 1 - last); i < items.size(); i++, j++) {
        names.set(j, name(items.get(i), engine.get(j)));
      }
    }
    return names;
  }

  private static String name(Item item, String engine) {
    return item.kind() == Kind.NAMED ? item.name() : engine;
  }

  /** The first SELECT of a statement: PostgreSQL names a set operation's columns after its first branch. */
  private static JsonNode firstSelect(JsonNode node) {
    for (int depth = 0; depth < 1_000 && node.path("type").asText().equals("SET_OPERATION_NODE"); depth++) {
      node = node.path("children").isArray() && node.path("children").size() > 0 ? node.path("children").get(0)
          : node.path("left");
    }
    return node.path("type").asText().equals("SELECT_NODE") ? node : null;
  }

  private static boolean isStar(JsonNode e) {
    return e.path("type").asText().equals("STAR");
  }

  /** A figured name and how sure it is (PostgreSQL's strength: 1 a type's or "case", 2 anything else). */
  private record Named(String name, int strength) {}

  /** PostgreSQL's FigureColnameInternal over the engine's expression tree; empty: no name. */
  private static Optional<Named> figure(JsonNode e, String sql) {
    switch (e.path("type").asText()) {
      case "COLUMN_REF" -> {
        JsonNode names = e.path("column_names");
        return names.isEmpty() ? Optional.empty() : Optional.of(new Named(names.get(names.size() - 1).asText(), 2));
      }
      case "FUNCTION" -> {
        if (e.path("is_operator").asBoolean(false)) {
          return Optional.empty();
        }
        return Optional.of(new Named(functionName(e, sql), 2));
      }
      case "OPERATOR_CAST" -> {
        Optional<Named> inner = figure(e.path("child"), sql);
        if (inner.isPresent() && inner.get().strength() > 1) {
          return inner;
        }
        String type = e.path("type_expr").path("type_name").asText("");
        return type.isEmpty() ? inner : Optional.of(new Named(typeName(type), 1));
      }
      case "CASE_EXPR" -> {
        Optional<Named> inner = figure(e.path("else_expr"), sql);
        return inner.isPresent() && inner.get().strength() > 1 ? inner : Optional.of(new Named("case", 1));
      }
      case "COLLATE" -> {
        return figure(e.path("child"), sql);
      }
      case "OPERATOR_COALESCE" -> {
        return Optional.of(new Named("coalesce", 2));
      }
      case "ARRAY_CONSTRUCTOR" -> {
        return Optional.of(new Named("array", 2));
      }
      case "GROUPING_FUNCTION" -> {
        return Optional.of(new Named("grouping", 2));
      }
      case "STRUCT_EXTRACT" -> {
        JsonNode field = e.path("children").path(1);
        return field.path("type").asText().equals("VALUE_CONSTANT")
            ? Optional.of(new Named(field.path("literal").path("text").asText(), 2))
            : figure(e.path("children").path(0), sql);
      }
      case "ARRAY_EXTRACT", "ARRAY_SLICE" -> {
        return figure(e.path("children").path(0), sql); // a subscript keeps the name of what it subscripts
      }
      case "SUBQUERY" -> {
        return subquery(e, sql);
      }
      default -> {
        // window functions (WINDOW_ROW_NUMBER, WINDOW_RANK, ...) are calls; the rest has no name
        return e.path("class").asText().equals("WINDOW") ? Optional.of(new Named(functionName(e, sql), 2))
            : Optional.empty();
      }
    }
  }

  private static Optional<Named> subquery(JsonNode e, String sql) {
    switch (e.path("subquery_type").asText()) {
      case "EXISTS" -> {
        return Optional.of(new Named("exists", 2));
      }
      case "SCALAR" -> {
        // named after the subquery's one column, whatever that is named
        JsonNode node = firstSelect(e.path("subquery").path("node"));
        JsonNode first = node == null ? null : node.path("select_list").path(0);
        if (first == null || first.isMissingNode()) {
          return Optional.empty();
        }
        String alias = first.path("alias").asText("");
        return Optional.of(new Named(alias.isEmpty() ? figure(first, sql).map(Named::name).orElse(UNNAMED) : alias, 2));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static String functionName(JsonNode e, String sql) {
    String name = e.path("function_name").asText("").toLowerCase(Locale.ROOT);
    if (name.equals("date_part") && spelledAs(e, sql, "extract")) {
      return "extract"; // EXTRACT(field FROM x) reaches the engine's tree as date_part
    }
    return FUNCTION_NAMES.getOrDefault(name, name);
  }

  /** Whether the text at the expression's location starts with {@code word} (how the client spelled it). */
  private static boolean spelledAs(JsonNode e, String sql, String word) {
    long at = e.path("query_location").asLong(-1);
    return at >= 0 && at + word.length() <= sql.length() && sql.regionMatches(true, (int) at, word, 0, word.length());
  }

  /** PostgreSQL's name for a type as the engine's parser spelled it ({@code INTEGER}: {@code int4}). */
  static String typeName(String engineName) {
    String t = engineName.toLowerCase(Locale.ROOT).strip();
    return TYPE_NAMES.getOrDefault(t, t);
  }
}
