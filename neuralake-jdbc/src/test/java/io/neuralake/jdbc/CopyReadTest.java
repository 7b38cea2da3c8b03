package io.neuralake.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads through PostgreSQL's binary COPY equal reads through the fetch-size cursor, for every type
 * the COPY reader decodes (timestamps given with offsets of other zones), and filter values an attacker
 * would choose stay values, also in a database with standard_conforming_strings off.
 */
class CopyReadTest {
  /** Values that would end, escape or comment out a literal spliced carelessly, and a table to lose. */
  static final List<String> HOSTILE = List.of("it's", "'; DROP TABLE kinds; --", "\\'", "\\", "end\\", "''", "$$",
      "$x$ or 1=1 $x$", "\"", "?", "what?", "%_", "é✓😀", "", "E'\\x41'", "a'||'b", "/* c */", "-- c", "\\' OR '1'='1");

  static PostgresServer server;
  static LakeRuntime runtime;
  static Catalog catalog;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.start().exposeCredentials("COPY_");
    try (Connection c = direct("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE legacy");
      st.execute("ALTER DATABASE legacy SET standard_conforming_strings = off");
    }
    for (String db : List.of("postgres", "legacy")) {
      try (Connection c = direct(db); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE kinds (id int8 PRIMARY KEY, i2 int2, i4 int4, f4 float4, f8 float8, b bool, t text,"
            + " v varchar(12), c char(4), nm name, j json, jb jsonb, u uuid, raw bytea, d date, tm time,"
            + " ts timestamp, tz timestamptz, big numeric(38,10), money numeric(12,2), whole numeric(20,0),"
            + " \"odd?name\" text)");
        st.execute("INSERT INTO kinds VALUES"
            + " (1, 32767, 2147483647, 3.4e38, 1.7976931348623157e308, true, 'plain', 'v', 'ab', 'n', '{\"a\": [1, 2]}',"
            + "  '{\"b\": \"x\", \"a\": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', decode('00ff10', 'hex'), '2024-02-29',"
            + "  '23:59:59.999999', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456+05:45',"
            + "  9999999999999999999999999999.9999999999, 1234567890.12, 99999999999999999999, 'q?'),"
            + " (2, -32768, -2147483648, -1.5e-30, -0.0, false, 'second', '', '', '', '[]', 'null',"
            + "  '00000000-0000-0000-0000-000000000000', decode('', 'hex'), '0001-01-01', '00:00:00', '1900-01-01 00:00:00',"
            + "  '1969-12-31 23:59:59.999999+00', -9999999999999999999999999999.9999999999, -0.01,"
            + "  -99999999999999999999, ''),"
            + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + "  NULL, NULL, NULL, NULL, NULL),"
            + " (4, 0, 0, 'NaN', 'Infinity', true, 'é✓😀 tab\tline\nquote''s', 'x''y', 'é', 'Z', '\"s\"', '[1.5e3]',"
            + "  'ffffffff-ffff-ffff-ffff-ffffffffffff', decode('5c27', 'hex'), '4713-01-01 BC', '12:00:00.5',"
            + "  '2262-04-11 23:47:16.854775', '1600-06-15 12:00:00-03:30', 0.0000000001, 0, 0, NULL),"
            + " (5, 1, 1, '-Infinity', 'NaN', false, 'tail', 'w', 'abcd', 'w', 'null', '{}',"
            + "  'c0ffee00-0000-4000-8000-000000000001', NULL, '9999-12-31', '13:14:15', '2000-01-01 00:00:00',"
            + "  '2000-01-01 00:00:00+00', 12345678901234567890.0000000001, 99.99, 1, 'x')");
        st.execute("INSERT INTO kinds (id, t) SELECT 100 + row_number() OVER (), v FROM unnest(ARRAY["
            + String.join(", ", HOSTILE.stream().map(CopyReadTest::dollarQuoted).toList()) + "]) AS v");
        st.execute("CREATE TABLE listed (id int8, xs int4[], label text)");
        st.execute("INSERT INTO listed VALUES (1, '{1,2}', 'a'), (2, NULL, 'b'), (3, '{}', 'c')");
        st.execute("CREATE TABLE many AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 100000) g");
      }
    }
    runtime = LakeRuntime.builder().build();
    catalog = Catalog.builder("lake").runtime(runtime)
        .database("copy", table("kinds", "postgres", true), table("listed", "postgres", true),
            table("many", "postgres", true),
            JdbcTable.builder("endless", server.jdbcUrl("postgres"))
                // in the select list, the series streams (in FROM, PostgreSQL would store it all first)
                .sql("SELECT generate_series(1::int8, 100000000000::int8) AS id")
                .credentials(JdbcCredentials.fromEnvironment("COPY_")).build())
        .database("cursor", table("kinds", "postgres", false), table("listed", "postgres", false))
        .database("legacy", table("kinds", "legacy", true))
        .build();
  }

  /** Text in dollar quotes with a tag no test value holds: the setup's own SQL must not depend on escaping. */
  static String dollarQuoted(String s) {
    assertThat(s).doesNotContain("$q7$");
    return "$q7$" + s + "$q7$";
  }

  static JdbcTable table(String name, String database, boolean copy) {
    return JdbcTable.builder(name, server.jdbcUrl(database)).query(name).copy(copy).fetchSize(3)
        .credentials(JdbcCredentials.fromEnvironment("COPY_")).build();
  }

  static Connection direct(String database) throws SQLException {
    return server.connect(database);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The rows, by id, with bytes as hex so that they compare by value. */
  static List<Map<String, Object>> rows(Frame frame) {
    try (DataFrame df = frame.sort("id").collect()) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Map<String, Object> row : df.rows()) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.replaceAll((k, v) -> v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
        out.add(copy);
      }
      return out;
    }
  }

  @Test
  void everyTypeReadByCopyEqualsTheCursorsRead() {
    Frame byCopy = catalog.db("copy").table("kinds");
    Frame byCursor = catalog.db("cursor").table("kinds");
    assertThat(byCopy.explain()).contains("read by COPY ... TO STDOUT (FORMAT binary)");
    assertThat(byCursor.explain()).contains("read by a fetch-size cursor (COPY turned off for the table)");
    List<Map<String, Object>> copied = rows(byCopy);
    assertThat(copied).hasSize(5 + HOSTILE.size());
    assertThat(copied).isEqualTo(rows(byCursor));
    Map<String, Object> first = copied.get(0);
    assertThat(first.get("big").toString()).isEqualTo("9999999999999999999999999999.9999999999");
    assertThat(first.get("u")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(first.get("raw")).isEqualTo("00ff10");
    assertThat(first.get("tz").toString()).contains("2024-01-01T21:19:05.123456");
    assertThat(copied.get(1).get("big").toString()).isEqualTo("-9999999999999999999999999999.9999999999");
    assertThat(copied.get(2).values().stream().filter(v -> v != null).toList()).containsExactly(3L);
    assertThat(copied.get(3).get("t")).isEqualTo("é✓😀 tab\tline\nquote's");
  }

  @Test
  void quotingHostileFilterValuesAreValuesOnCopyWithAndWithoutStandardStrings() throws SQLException {
    for (String value : HOSTILE) {
      for (String db : List.of("copy", "legacy")) {
        Frame f = catalog.db(db).table("kinds", Filter.eq("t", value));
        assertThat(f.explain()).as(value).contains("read by COPY");
        List<Map<String, Object>> got = rows(f);
        assertThat(got).as("%s in %s", value, db).hasSize(1);
        assertThat(got.get(0).get("t")).isEqualTo(value);
        assertThat(got).isEqualTo(rows(catalog.db("cursor").table("kinds", Filter.eq("t", value))));
      }
      assertThat(rows(catalog.db("copy").table("kinds", Filter.in("t", value, "plain")))).hasSize(2);
      assertThat(rows(catalog.db("copy").table("kinds", Filter.contains("t", value))))
          .isEqualTo(rows(catalog.db("cursor").table("kinds", Filter.contains("t", value))));
    }
    try (Connection c = direct("legacy"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW standard_conforming_strings")) {
      rs.next();
      assertThat(rs.getString(1)).as("the legacy database reads backslashes as escapes").isEqualTo("off");
    }
    for (String db : List.of("postgres", "legacy")) {
      try (Connection c = direct(db); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM kinds")) {
        rs.next();
        assertThat(rs.getLong(1)).as("no value ran as SQL").isEqualTo(5 + HOSTILE.size());
      }
    }
  }

  @Test
  void filtersOfEveryTypeGiveTheCursorsRows() {
    List<Filter> filters = List.of(Filter.gt("i2", 0), Filter.le("i4", 0), Filter.lt("f8", 0.5),
        Filter.eq("b", true), Filter.ge("d", java.time.LocalDate.of(2000, 1, 1)), Filter.lt("ts", "2001-01-01T00:00:00"),
        Filter.gt("tz", "1999-12-31T23:59:59Z"), Filter.lt("big", new java.math.BigDecimal("-1.5")),
        Filter.eq("money", new java.math.BigDecimal("99.99")), Filter.ne("v", "x'y"), Filter.eq("odd?name", "q?"),
        Filter.lt("f4", -1e-31f), Filter.eq("whole", new java.math.BigDecimal("-99999999999999999999")));
    for (Filter filter : filters) {
      Frame f = catalog.db("copy").table("kinds", filter);
      assertThat(f.explain()).as(filter.toString()).contains("read by COPY").contains("WHERE");
      List<Map<String, Object>> got = rows(f);
      assertThat(got).as(filter.toString()).isNotEmpty().isEqualTo(rows(catalog.db("cursor").table("kinds", filter)));
    }
  }

  @Test
  void aTypeWithoutADecoderIsReadByTheCursor() {
    Frame lists = catalog.db("copy").table("listed");
    assertThat(lists.explain()).contains("read by a fetch-size cursor (column 'xs' is _int4");
    assertThat(rows(lists)).extracting(r -> r.get("xs")).containsExactly(List.of(1, 2), null, List.of());
    Frame labels = catalog.db("copy").table("listed", io.neuralake.table.ReadOptions.builder().columns("id", "label")
        .build());
    assertThat(labels.explain()).as("without the list column, COPY reads it").contains("read by COPY");
    assertThat(rows(labels)).extracting(r -> r.get("label")).containsExactly("a", "b", "c");
  }

  @Test
  void readsStoppedEarlyLeaveTheirConnectionsUsable() throws SQLException {
    // more stopped reads than the pool has connections (8); each connection is reused by the next read
    for (int i = 0; i < 20; i++) {
      try (DataFrame df = catalog.sql("SELECT id FROM copy.many LIMIT 5").collect()) {
        assertThat(df.rowCount()).isEqualTo(5);
      }
      try (DataFrame df = catalog.sql("SELECT count(*) AS n, sum(id) AS s FROM copy.many").collect()) {
        assertThat(((Number) df.get(0, "n")).longValue()).isEqualTo(100_000L);
        assertThat(((Number) df.get(0, "s")).longValue()).isEqualTo(100_000L * 100_001L / 2);
      }
    }
    // 10^11 rows: read to their end instead of cancelled, this read would not return for hours (a hang guard,
    // not a measurement)
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMinutes(5), () -> {
      try (DataFrame df = catalog.sql("SELECT id FROM copy.endless LIMIT 3").collect()) {
        assertThat(df.rowCount()).isEqualTo(3);
      }
    });
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM copy.many").collect()) {
      assertThat(((Number) df.get(0, "n")).longValue()).isEqualTo(100_000L);
    }
    try (Connection c = direct("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%' AND state <> 'idle'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("no COPY still running").isZero();
    }
  }
}
