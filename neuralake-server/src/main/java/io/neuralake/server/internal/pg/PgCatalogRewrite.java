package io.neuralake.server.internal.pg;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rewrites what clients ask of {@code pg_catalog} and {@code information_schema} into SQL the
 * sandboxed engine runs: each catalog relation named becomes a common table expression over the
 * rows {@link PgCatalog} lists, and PostgreSQL's catalog functions and syntax that the engine
 * lacks ({@code format_type}, {@code pg_get_userbyid}, {@code OPERATOR(pg_catalog.~)}, casts to
 * {@code regtype}) become plain expressions. SQL naming none of them is returned unchanged.
 */
final class PgCatalogRewrite {
  private static final Pattern PG_RELATION = Pattern.compile(
      "(?i)(?<![\\w.\"])(?:pg_catalog\\s*\\.\\s*)?(pg_[a-z_]+)(?![\\w\"(])");
  private static final Pattern INFO_RELATION = Pattern.compile(
      "(?i)(?<![\\w.\"])information_schema\\s*\\.\\s*([a-z_]+)(?![\\w\"(])");
  private static final Pattern OPERATOR = Pattern.compile("(?i)OPERATOR\\s*\\(\\s*pg_catalog\\s*\\.\\s*([~!<>=*]+)\\s*\\)");
  private static final Pattern COLLATE = Pattern.compile("(?i)\\s+COLLATE\\s+(?:pg_catalog\\s*\\.\\s*)?\"?(default|C)\"?");
  private static final Pattern REG_CAST = Pattern.compile(
      "(?i)::\\s*(?:pg_catalog\\s*\\.\\s*)?(regclass|regtype|regproc|regnamespace|regrole|oid)\\b");
  private static final Pattern REGCLASS_LITERAL = Pattern.compile(
      "(?i)'([a-z_.]+)'\\s*::\\s*(?:pg_catalog\\s*\\.\\s*)?regclass\\b");
  private static final Pattern PUBLICATIONS = Pattern.compile("(?i)SELECT\\s+pubname\\s*,\\s*NULL\\s*,\\s*NULL\\b");
  private static final Pattern QUOTED_CATALOG = Pattern.compile(
      "\"(pg_catalog|information_schema)\"\\s*\\.\\s*\"([a-z_]+)\"");
  private static final Pattern ANY_ARRAY_LITERAL = Pattern.compile("(?i)=\\s*ANY\\s*\\(\\s*'\\{([\\w,]*)\\}'\\s*\\)");
  private static final Pattern SEARCH_PATH_SUBQUERY = Pattern.compile("(?is)\\(\\s*SELECT\\s+CASE\\s+WHEN\\s+trim\\(s\\[i\\]\\)"
      + ".{0,400}?string_to_array\\(\\s*current_setting\\('search_path'\\)\\s*,\\s*','\\s*\\)\\s+s\\s*\\)");
  private static final Pattern OID_AND_STAR = Pattern.compile("(?i)\\b([a-z_]\\w*)\\.oid\\s*,\\s*\\1\\.\\*");
  private static final Pattern QUALIFIER = Pattern.compile("(?i)(?<![\\w.\"])pg_catalog\\s*\\.\\s*(?=[a-z_\"])");

  private PgCatalogRewrite() {}

  /** Whether the SQL names the server's catalog relations or functions at all (cheap test first). */
  static boolean concerns(String sql) {
    String s = sql.toLowerCase(Locale.ROOT);
    return s.contains("pg_") || s.contains("information_schema") || s.contains("format_type")
        || s.contains("current_database") || s.contains("version()") || s.contains("quote_ident")
        || s.contains("has_") || s.contains("current_schema") || s.contains("obj_description")
        || s.contains("col_description") || s.contains("current_setting");
  }

  /** The SQL the engine runs instead, the catalog's rows built only if the query names a relation. */
  static String rewrite(String sql, Supplier<PgCatalog> catalog, PgSession session) {
    SqlText text = new SqlText(clientIdioms(sql, session));
    Set<String> used = new LinkedHashSet<>();
    PgCatalog[] cat = new PgCatalog[1];
    // relations first, while their names are still qualified
    text = text.replace(INFO_RELATION, m -> relation(m.group(1).toLowerCase(Locale.ROOT), "information_schema.",
        catalog, cat, used));
    text = text.replace(PG_RELATION, m -> relation(m.group(1).toLowerCase(Locale.ROOT), "", catalog, cat, used));
    // psql's \d lists publications as "SELECT pubname, NULL, NULL"; the engine wants distinct column names
    text = text.replace(PUBLICATIONS, m -> "SELECT pubname, NULL AS pubnull1, NULL AS pubnull2");
    text = text.replace(OPERATOR, m -> " " + m.group(1) + " ");
    text = text.replace(COLLATE, m -> "");
    text = text.replace(REG_CAST, m -> "");
    text = functions(text, session, used);
    text = text.replace(QUALIFIER, m -> "");
    if (used.isEmpty()) {
      return text.sql();
    }
    if (cat[0] == null) {
      cat[0] = catalog.get();
    }
    String ctes = used.stream().map(name -> cte(name, cat[0].relation(name))).collect(Collectors.joining(", "));
    String body = text.sql().stripLeading();
    for (String head : new String[] {"WITH RECURSIVE ", "WITH "}) {
      if (body.regionMatches(true, 0, head, 0, head.length())) {
        return head + ctes + ", " + body.substring(head.length());
      }
    }
    return "WITH " + ctes + " " + body;
  }

  /**
   * PostgreSQL idioms of client catalog queries that span quoted text, rewritten on the raw SQL
   * (each pattern is specific enough not to occur in a data query).
   */
  private static String clientIdioms(String sql, PgSession session) {
    // "pg_catalog"."pg_class" (Metabase quotes every name)
    String s = QUOTED_CATALOG.matcher(sql).replaceAll(m -> m.group(1) + "." + m.group(2));
    // 'pg_class'::regclass names a catalog relation by its OID (pgJDBC's and DBeaver's descriptions join on it)
    s = REGCLASS_LITERAL.matcher(s).replaceAll(m -> switch (m.group(1).toLowerCase(Locale.ROOT)) {
      case "pg_class", "pg_catalog.pg_class" -> "1259";
      case "pg_namespace", "pg_catalog.pg_namespace" -> "2615";
      default -> "0";
    });
    // = ANY('{r,p,f}'): an array literal as text (pgcli)
    s = ANY_ARRAY_LITERAL.matcher(s).replaceAll(m -> Matcher.quoteReplacement(" IN (" + String.join(", ",
        java.util.Arrays.stream(m.group(1).split(",")).map(v -> PgParameters.quote(v.strip())).toList()) + ")"));
    // Grafana's "schemas on the search path" subquery: the session's search path as a list
    s = SEARCH_PATH_SUBQUERY.matcher(s).replaceAll(m -> Matcher.quoteReplacement("(" + String.join(", ",
        java.util.Arrays.stream(session.setting("search_path").split(",")).map(String::strip)
            .map(v -> v.equals("\"$user\"") ? session.user() : v).map(PgParameters::quote).toList()) + ")"));
    // t.oid, t.*: PostgreSQL lists oid twice; the engine wants distinct column names
    return OID_AND_STAR.matcher(s).replaceAll("$1.*");
  }

  private static String relation(String name, String prefix, Supplier<PgCatalog> catalog, PgCatalog[] cat,
      Set<String> used) {
    if (cat[0] == null) {
      cat[0] = catalog.get();
    }
    String key = prefix + name;
    if (cat[0].relation(key) == null) {
      return null; // not ours: left for the engine to report
    }
    used.add(key);
    return cteName(key);
  }

  private static String cteName(String key) {
    return "nl_" + key.replace('.', '_');
  }

  private static SqlText functions(SqlText text, PgSession session, Set<String> used) {
    text = text.replaceCalls("pg_get_userbyid", a -> "(CASE WHEN (" + arg(a, 0) + ") IS NULL THEN NULL ELSE '"
        + PgCatalog.OWNER + "' END)");
    text = text.replaceCalls("pg_table_is_visible", a -> "((" + arg(a, 0) + ") IS NOT NULL)");
    text = text.replaceCalls("pg_type_is_visible", a -> "((" + arg(a, 0) + ") IS NOT NULL)");
    text = text.replaceCalls("pg_encoding_to_char", a -> "'UTF8'");
    text = text.replaceCalls("quote_ident", a -> "(" + arg(a, 0) + ")");
    text = text.replaceCalls("format_type", a -> formatType(arg(a, 0), a.size() > 1 ? a.get(1) : "-1"));
    text = text.replaceCalls("has_table_privilege", a -> "true");
    text = text.replaceCalls("has_schema_privilege", a -> "true");
    text = text.replaceCalls("has_database_privilege", a -> "true");
    text = text.replaceCalls("pg_relation_is_publishable", a -> "false");
    text = text.replaceCalls("pg_get_partkeydef", a -> "CAST(NULL AS VARCHAR)");
    for (String noDefinition : List.of("pg_get_viewdef", "pg_get_expr", "pg_get_indexdef", "pg_get_triggerdef",
        "pg_get_constraintdef", "pg_get_statisticsobjdef_columns", "pg_get_ruledef", "pg_get_functiondef")) {
      // no views, defaults, indexes: nothing to show; each NULL differs in text, so unnamed columns keep distinct names
      java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
      text = text.replaceCalls(noDefinition, a -> "CAST(NULLIF('" + noDefinition + n.incrementAndGet() + "', '"
          + noDefinition + n.get() + "') AS VARCHAR)");
    }
    text = text.replaceCalls("pg_total_relation_size", a -> "CAST(0 AS BIGINT)");
    text = text.replaceCalls("pg_relation_size", a -> "CAST(0 AS BIGINT)");
    text = text.replaceCalls("pg_size_pretty", a -> "'0 bytes'");
    text = text.replaceCalls("current_setting", a -> PgParameters.quote(session.setting(literal(arg(a, 0)))));
    text = text.replaceCalls("array_upper", a -> "len(" + arg(a, 0) + ")");
    text = text.replaceCalls("version", a -> PgParameters.quote(PgSession.VERSION));
    text = text.replaceCalls("current_database", a -> PgParameters.quote(session.database()));
    text = text.replaceCalls("current_schema", a -> PgParameters.quote(session.schema()));
    text = text.replaceCalls("pg_backend_pid", a -> Integer.toString(session.processId()));
    text = text.replaceCalls("obj_description", a -> {
      used.add("pg_description");
      return "(SELECT d.description FROM nl_pg_description d WHERE d.objoid = (" + arg(a, 0)
          + ") AND d.objsubid = 0 LIMIT 1)";
    });
    text = text.replaceCalls("col_description", a -> {
      used.add("pg_description");
      return "(SELECT d.description FROM nl_pg_description d WHERE d.objoid = (" + arg(a, 0)
          + ") AND d.objsubid = (" + arg(a, 1) + ") LIMIT 1)";
    });
    return text;
  }

  /** A string literal argument's text; anything else is refused (settings are named, not computed). */
  private static String literal(String arg) {
    if (arg.length() >= 2 && arg.startsWith("'") && arg.endsWith("'")) {
      return arg.substring(1, arg.length() - 1).replace("''", "'");
    }
    throw new io.neuralake.NeuralakeException(io.neuralake.ErrorCode.NOT_SUPPORTED, "current_setting takes a setting's"
        + " name as a string literal, such as current_setting('server_version'); got " + arg);
  }

  private static String arg(List<String> args, int i) {
    return i < args.size() ? args.get(i) : "NULL";
  }

  /** {@code format_type(oid, typmod)}: the type's SQL name, with a numeric's precision and scale. */
  private static String formatType(String oid, String typmod) {
    StringBuilder sb = new StringBuilder("(CASE (").append(oid).append(')');
    for (PgType t : PgType.all()) {
      if (t == PgType.NUMERIC) {
        sb.append(" WHEN ").append(t.oid).append(" THEN (CASE WHEN (").append(typmod).append(") > 4 THEN 'numeric('")
            .append(" || (((").append(typmod).append(") - 4) // 65536) || ',' || (((").append(typmod)
            .append(") - 4) % 65536) || ')' ELSE 'numeric' END)");
      } else {
        sb.append(" WHEN ").append(t.oid).append(" THEN ").append(PgParameters.quote(t.sqlName));
      }
    }
    return sb.append(" ELSE '???' END)").toString();
  }

  private static String cte(String name, PgCatalog.Relation r) {
    List<String> names = r.columns().stream().map(c -> c.substring(0, c.indexOf(' '))).toList();
    StringBuilder sb = new StringBuilder(cteName(name)).append(" AS (SELECT ");
    for (int i = 0; i < names.size(); i++) {
      String c = r.columns().get(i);
      String type = c.substring(c.indexOf(' ') + 1);
      sb.append(i == 0 ? "" : ", ").append("CAST(").append(r.rows().isEmpty() ? "NULL" : "c" + i).append(" AS ")
          .append(type).append(") AS ").append(names.get(i));
    }
    if (r.rows().isEmpty()) {
      return sb.append(" WHERE false)").toString();
    }
    sb.append(" FROM (VALUES ");
    for (int j = 0; j < r.rows().size(); j++) {
      Object[] row = r.rows().get(j);
      sb.append(j == 0 ? "(" : ", (");
      for (int i = 0; i < row.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(literal(row[i]));
      }
      sb.append(')');
    }
    sb.append(") v(");
    for (int i = 0; i < names.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append('c').append(i);
    }
    return sb.append("))").toString();
  }

  private static String literal(Object v) {
    return switch (v) {
      case null -> "NULL";
      case Boolean b -> b ? "TRUE" : "FALSE";
      case Number n -> n.toString();
      default -> PgParameters.quote(v.toString());
    };
  }
}
