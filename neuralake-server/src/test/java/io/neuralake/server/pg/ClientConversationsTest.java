package io.neuralake.server.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Grafana, DBeaver, Metabase and pgcli send on connect and while browsing (the conversations
 * datafusion-postgres's client tests list), replayed against the door: every statement must run.
 */
class ClientConversationsTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).flightPort(0).pgPort(NeuralakeServer.ANY_PORT));
  }

  @AfterAll
  static void stop() {
    server.close();
    lake.close();
  }

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "admin");
    p.setProperty("password", ServerFixture.ADMIN_PASSWORD);
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "60");
    p.setProperty("preferQueryMode", "simple"); // these clients' conversations, as text
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.pgPort().getAsInt() + "/test", p);
  }

  private static List<String> failures(List<String> statements) throws SQLException {
    List<String> failed = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        try {
          s.execute(sql);
        } catch (SQLException e) {
          failed.add(sql.replaceAll("\\s+", " ") + "\n  -> " + e.getMessage());
        }
      }
    }
    return failed;
  }

  @Test
  void grafana() throws SQLException {
    assertThat(failures(List.of(
        "-- ping",
        "SELECT version()",
        "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS \"table\" FROM information_schema.tables"
            + " WHERE quote_ident(table_schema) NOT IN ('information_schema', 'pg_catalog', '_timescaledb_cache')"
            + " ORDER BY 1",
        "SELECT CASE WHEN quote_ident(table_schema) IN (SELECT CASE WHEN trim(s[i]) = '\"$user\"' THEN user"
            + " ELSE trim(s[i]) END FROM generate_series(array_lower(string_to_array(current_setting('search_path'),"
            + " ','),1), array_upper(string_to_array(current_setting('search_path'),','),1)) AS i,"
            + " string_to_array(current_setting('search_path'),',') s) THEN quote_ident(table_name)"
            + " ELSE quote_ident(table_schema) || '.' || quote_ident(table_name) END AS \"table\""
            + " FROM information_schema.tables WHERE quote_ident(table_schema) NOT IN ('information_schema',"
            + " 'pg_catalog') ORDER BY 1",
        "SELECT quote_ident(column_name) AS \"column\", data_type AS \"type\" FROM information_schema.columns"
            + " WHERE quote_ident(table_schema) = 'tpch' AND quote_ident(table_name) = 'orders'",
        "SELECT o_orderdate AS \"time\", sum(o_totalprice) AS value FROM tpch.orders WHERE o_orderdate"
            + " BETWEEN '1995-01-01T00:00:00Z' AND '1996-01-01T00:00:00Z' GROUP BY 1 ORDER BY 1"))).isEmpty();
    // the query builder's column list, with its $1 parameter
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type"
        + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, "tpch");
      ps.setString(2, "orders");
      List<String> columns = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          columns.add(r.getString(1) + " " + r.getString(2));
        }
      }
      assertThat(columns).startsWith("o_orderkey bigint", "o_custkey bigint", "o_orderstatus text",
          "o_totalprice double precision", "o_orderdate date");
    }
  }

  @Test
  void dbeaver() throws SQLException {
    assertThat(failures(List.of(
        "SET extra_float_digits = 3",
        "SET application_name = 'DBeaver 25.1.5 - Main <postgres>'",
        "SELECT current_schema(),session_user",
        "SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n LEFT OUTER JOIN pg_catalog.pg_description d"
            + " ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass ORDER BY nspname",
        "SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t"
            + " JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = 1700",
        "SHOW search_path",
        "SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname='test'",
        "SELECT * FROM pg_catalog.pg_settings where name='standard_conforming_strings'",
        "SELECT * FROM pg_catalog.pg_enum WHERE 1<>1 LIMIT 1",
        "SELECT reltype FROM pg_catalog.pg_class WHERE 1<>1 LIMIT 1",
        "SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name,"
            + " d.description FROM pg_catalog.pg_type t LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem"
            + " LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid LEFT OUTER JOIN pg_catalog.pg_description d"
            + " ON t.oid=d.objoid WHERE t.typname IS NOT NULL AND (c.relkind IS NULL OR c.relkind = 'c')"
            + " AND (et.typcategory IS NULL OR et.typcategory <> 'C')",
        "SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,"
            + " pg_catalog.pg_get_partkeydef(c.oid) as partition_key FROM pg_catalog.pg_class c"
            + " LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0"
            + " AND d.classoid='pg_class'::regclass WHERE c.relnamespace=16385 AND c.relkind not in ('i','I','c')",
        "SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description"
            + " FROM pg_catalog.pg_attribute a INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)"
            + " LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)"
            + " LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)"
            + " WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid=20000"
            + " ORDER BY a.attnum"))).isEmpty();
  }

  @Test
  void metabase() throws SQLException {
    assertThat(failures(List.of(
        "SET extra_float_digits = 2",
        "SET application_name = 'Metabase v0.55.1'",
        "SHOW TRANSACTION ISOLATION LEVEL",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED",
        "SELECT nspname AS \"TABLE_SCHEM\", current_database() AS \"TABLE_CATALOG\" FROM pg_catalog.pg_namespace"
            + " WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_' OR nspname = (pg_catalog.current_schemas(true))[1])"
            + " ORDER BY \"TABLE_SCHEM\"",
        "SELECT \"n\".\"nspname\" AS \"schema\", \"c\".\"relname\" AS \"name\", CASE \"c\".\"relkind\" WHEN 'r'"
            + " THEN 'TABLE' ELSE NULL END AS \"type\", \"d\".\"description\" AS \"description\""
            + " FROM \"pg_catalog\".\"pg_class\" AS \"c\" INNER JOIN \"pg_catalog\".\"pg_namespace\" AS \"n\""
            + " ON \"c\".\"relnamespace\" = \"n\".\"oid\" LEFT JOIN \"pg_catalog\".\"pg_description\" AS \"d\""
            + " ON (\"c\".\"oid\" = \"d\".\"objoid\") AND (\"d\".\"objsubid\" = '0')"
            + " AND (\"d\".\"classoid\" = 'pg_class'::regclass) WHERE (\"n\".\"nspname\" !~ '^pg_')"
            + " AND c.relkind in ('r', 'p', 'v', 'f', 'm') ORDER BY \"type\" ASC, \"schema\" ASC, \"name\" ASC",
        "show timezone"))).isEmpty();
  }

  @Test
  void pgcli() throws SQLException {
    assertThat(failures(List.of(
        "SELECT 1",
        "show time zone",
        "set time zone 'UTC'",
        "SELECT * FROM unnest(current_schemas(true))",
        "SELECT nspname FROM pg_catalog.pg_namespace ORDER BY 1",
        "SELECT n.nspname schema_name, c.relname table_name FROM pg_catalog.pg_class c"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = ANY('{r,p,f}')"
            + " ORDER BY 1,2;",
        "SELECT nsp.nspname schema_name, cls.relname table_name, att.attname column_name,"
            + " att.atttypid::regtype::text type_name, att.atthasdef AS has_default,"
            + " pg_catalog.pg_get_expr(def.adbin, def.adrelid, true) as default FROM pg_catalog.pg_attribute att"
            + " INNER JOIN pg_catalog.pg_class cls ON att.attrelid = cls.oid INNER JOIN pg_catalog.pg_namespace nsp"
            + " ON cls.relnamespace = nsp.oid LEFT OUTER JOIN pg_attrdef def ON def.adrelid = att.attrelid"
            + " AND def.adnum = att.attnum WHERE cls.relkind = ANY('{r,p,f}') AND NOT att.attisdropped"
            + " AND att.attnum > 0 ORDER BY 1, 2, att.attnum",
        "SELECT d.datname FROM pg_catalog.pg_database d ORDER BY 1"))).isEmpty();
  }
}
