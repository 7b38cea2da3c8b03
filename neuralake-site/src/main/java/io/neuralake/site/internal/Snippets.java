package io.neuralake.site.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.neuralake.filter.Filter;
import io.neuralake.site.ServerEndpoints;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The code to copy for one table, one snippet per way in: the Java API, a {@code neuralake run} script, SQL, the
 * REST API with curl, psql on the PostgreSQL door and Python through ADBC on the Flight SQL door. Each reads the
 * table's documentation filters and columns, limited to a few rows.
 */
public record Snippets(List<Snippet> snippets) {
  /** Rows each snippet asks for: a look at the table, not a download. */
  static final int LIMIT = 10;
  /** Imports the Java snippet needs: the run script declares them, and a reader's file needs the same. */
  public static final List<String> JAVA_IMPORTS = List.of(
      "io.neuralake.catalog.Catalog", "io.neuralake.catalog.CatalogLoader", "io.neuralake.filter.Filter",
      "io.neuralake.frame.DataFrame", "io.neuralake.frame.Frame");
  private static final Set<String> REST_OPERATORS = Set.of("=", "!=", "<", "<=", ">", ">=", "in", "contains");

  public record Snippet(String id, String label, String language, String code) {}

  /** The snippets aimed at {@code neuralake serve}'s default doors. */
  public static Snippets of(String catalogName, String catalogSource, String db, String table, List<Filter> filters,
      List<String> columns) {
    return of(catalogName, catalogSource, ServerEndpoints.DEFAULTS, db, table, filters, columns);
  }

  /** The snippets aimed at the doors of {@code servedAt}; a door that is off (port 0) has none. */
  public static Snippets of(String catalogName, String catalogSource, ServerEndpoints servedAt, String db,
      String table, List<Filter> filters, List<String> columns) {
    String java = java(catalogSource, db, table, filters, columns);
    String sql = sql(db, table, filters, columns);
    String className = className(db, table);
    List<Snippet> out = new ArrayList<>();
    out.add(new Snippet("java", "Java", "java", java));
    out.add(new Snippet("run", "neuralake run", "java", runScript(className, java)));
    out.add(new Snippet("sql", "SQL", "sql", sql));
    if (servedAt.httpPort() != 0) {
      String http = (servedAt.tls() ? "https://" : "http://") + servedAt.urlHost() + ":" + servedAt.httpPort();
      out.add(new Snippet("curl", "curl", "bash", curl(http, db, table, filters, columns, sql)));
    }
    if (servedAt.pgPort() != 0) {
      // with TLS the server refuses clear text: verify-full checks its certificate (PGSSLROOTCERT names the CA file)
      out.add(new Snippet("psql", "psql", "bash", "PGPASSWORD=\"$NEURALAKE_PASSWORD\" "
          + (servedAt.tls() ? "PGSSLMODE=verify-full " : "") + "psql -h " + servedAt.host() + " -p "
          + servedAt.pgPort() + " -U \"$NEURALAKE_USER\" -d " + Literals.shell(catalogName) + " -c "
          + Literals.shell(sql)));
    }
    if (servedAt.flightPort() != 0) {
      String flight = (servedAt.tls() ? "grpc+tls://" : "grpc://") + servedAt.urlHost() + ":" + servedAt.flightPort();
      out.add(new Snippet("python", "Python (ADBC)", "python", python(flight, sql)));
    }
    return new Snippets(out);
  }

  public ArrayNode toJson() {
    ArrayNode out = ExportWriter.JSON.createArrayNode();
    for (Snippet s : snippets) {
      out.addObject().put("id", s.id()).put("label", s.label()).put("language", s.language()).put("code", s.code());
    }
    return out;
  }

  /** The class name of a table's run script: {@code bci.spikes} is {@code BciSpikes}. */
  static String className(String db, String table) {
    StringBuilder out = new StringBuilder();
    for (String part : (db + "_" + table).split("[^A-Za-z0-9]+")) {
      if (!part.isEmpty()) {
        out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    if (out.isEmpty() || !Character.isJavaIdentifierStart(out.charAt(0))) {
      out.insert(0, "Table");
    }
    return out.toString();
  }

  private static String java(String catalogSource, String db, String table, List<Filter> filters, List<String> columns) {
    StringBuilder out = new StringBuilder();
    out.append("Catalog catalog = CatalogLoader.load(").append(Literals.javaString(catalogSource)).append(");\n");
    out.append("Frame frame = catalog.db(").append(Literals.javaString(db)).append(").table(")
        .append(Literals.javaString(table));
    for (Filter f : filters) {
      out.append(",\n    ").append(javaFilter(f));
    }
    out.append(")");
    if (!columns.isEmpty()) {
      out.append("\n    .select(").append(columns.stream().map(Literals::javaString).collect(Collectors.joining(", ")))
          .append(")");
    }
    out.append(";\n");
    out.append("try (DataFrame rows = frame.limit(").append(LIMIT).append(").collect()) {\n");
    out.append("  System.out.println(rows);\n");
    out.append("}\n");
    return out.toString();
  }

  private static String javaFilter(Filter f) {
    String column = Literals.javaString(f.column());
    String value = Literals.java(f.value());
    return switch (f.operator()) {
      case EQ -> "Filter.eq(" + column + ", " + value + ")";
      case NE -> "Filter.ne(" + column + ", " + value + ")";
      case LT -> "Filter.lt(" + column + ", " + value + ")";
      case LE -> "Filter.le(" + column + ", " + value + ")";
      case GT -> "Filter.gt(" + column + ", " + value + ")";
      case GE -> "Filter.ge(" + column + ", " + value + ")";
      case IN -> "Filter.in(" + column + ", " + value + ")";
      case NOT_IN -> "Filter.notIn(" + column + ", " + value + ")";
      case CONTAINS -> "Filter.contains(" + column + ", " + value + ")";
      case INCLUDES -> "Filter.includes(" + column + ", " + value + ")";
      case INCLUDES_ANY -> "Filter.includesAny(" + column + ", " + value + ")";
      case INCLUDES_ALL -> "Filter.includesAll(" + column + ", " + value + ")";
    };
  }

  private static String runScript(String className, String java) {
    StringBuilder out = new StringBuilder();
    out.append("// ").append(className).append(".java: ./neuralake run ").append(className).append(".java\n");
    JAVA_IMPORTS.forEach(i -> out.append("import ").append(i).append(";\n"));
    out.append("\npublic class ").append(className).append(" {\n");
    out.append("  public static void main(String[] args) {\n");
    java.lines().forEach(l -> out.append("    ").append(l).append('\n'));
    out.append("  }\n}\n");
    return out.toString();
  }

  static String sql(String db, String table, List<Filter> filters, List<String> columns) {
    StringBuilder out = new StringBuilder("SELECT ");
    out.append(columns.isEmpty() ? "*" : columns.stream().map(Literals::sqlName).collect(Collectors.joining(", ")));
    out.append(" FROM ").append(Literals.sqlName(db)).append('.').append(Literals.sqlName(table));
    if (!filters.isEmpty()) {
      out.append(" WHERE ").append(filters.stream().map(Snippets::sqlFilter).collect(Collectors.joining(" AND ")));
    }
    return out.append(" LIMIT ").append(LIMIT).toString();
  }

  private static String sqlFilter(Filter f) {
    String c = Literals.sqlName(f.column());
    String v = Literals.sql(f.value());
    return switch (f.operator()) {
      case EQ, NE, LT, LE, GT, GE -> c + " " + f.operator().symbol() + " " + v;
      case IN -> c + " IN (" + v + ")";
      case NOT_IN -> c + " NOT IN (" + v + ")";
      case CONTAINS -> "contains(" + c + ", " + v + ")";
      case INCLUDES -> "list_contains(" + c + ", " + v + ")";
      case INCLUDES_ANY -> "list_has_any(" + c + ", [" + v + "])";
      case INCLUDES_ALL -> "list_has_all(" + c + ", [" + v + "])";
    };
  }

  /** The REST route when it can express the filters, else the SQL route. */
  private static String curl(String http, String db, String table, List<Filter> filters, List<String> columns, String sql) {
    // -sS --fail-with-body: a refused token or a wrong name prints the server's error and fails the shell, not nothing
    String auth = "curl -sS --fail-with-body -H \"Authorization: Bearer $NEURALAKE_TOKEN\" ";
    if (!filters.stream().allMatch(f -> REST_OPERATORS.contains(f.operator().symbol()))) {
      return auth + "-d " + Literals.shell(sql) + " " + http + "/api/sql";
    }
    List<String> params = new ArrayList<>();
    for (Filter f : filters) {
      String op = switch (f.operator().symbol()) {
        case "=" -> "";
        case "!=" -> "ne";
        case "<" -> "lt";
        case "<=" -> "lte";
        case ">" -> "gt";
        case ">=" -> "gte";
        default -> f.operator().symbol();
      };
      String value = f.value() instanceof List<?> list
          ? list.stream().map(String::valueOf).collect(Collectors.joining(",")) : String.valueOf(f.value());
      params.add("filter[" + encode(f.column()) + "]" + op + "=" + encode(value));
    }
    if (!columns.isEmpty()) {
      params.add("columns=" + columns.stream().map(Snippets::encode).collect(Collectors.joining(",")));
    }
    params.add("limit=" + LIMIT);
    return auth + "-g " + Literals.shell(http + "/api/tables/" + encode(db) + "." + encode(table) + "?"
        + String.join("&", params));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String python(String flight, String sql) {
    return "# pip install adbc-driver-flightsql pyarrow\n"
        + "import os\n"
        + "import adbc_driver_flightsql.dbapi as flightsql\n\n"
        + "with flightsql.connect(\"" + flight + "\", db_kwargs={\"username\": os.environ[\"NEURALAKE_USER\"],"
        + " \"password\": os.environ[\"NEURALAKE_PASSWORD\"]}) as conn:\n"
        + "    with conn.cursor() as cur:\n"
        + "        cur.execute(" + Literals.python(sql) + ")\n"
        + "        print(cur.fetch_arrow_table())\n";
  }
}
