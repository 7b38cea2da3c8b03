package io.neuralake.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.jdbc.internal.JdbcPools;
import io.neuralake.query.Query;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.table.ReadOptions;
import io.neuralake.testing.PostgresServer;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parallel range reads and declared schemas of relational tables, against a real PostgreSQL. */
class JdbcRangeReadTest {
  static final String RANGER_PASSWORD = "r" + Long.toHexString(new java.security.SecureRandom().nextLong());
  static PostgresServer server;
  static LakeRuntime runtime;
  static Catalog catalog;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.start();
    try (Connection c = direct(); Statement st = c.createStatement()) {
      // every column has NULLs; ids repeat; timestamps have microseconds
      st.execute("CREATE TABLE events AS SELECT g AS k,"
          + " CASE WHEN g % 97 = 0 THEN NULL ELSE (g * 7) % 5000 END AS id,"
          + " CASE WHEN g % 89 = 0 THEN NULL ELSE date '2020-01-01' + g % 1000 END AS day,"
          + " CASE WHEN g % 83 = 0 THEN NULL ELSE timestamp '2024-01-01' + g * interval '17 min 3.5 s' END AS at,"
          + " CASE WHEN g % 79 = 0 THEN NULL"
          + "   ELSE timestamptz '2024-01-01 00:00:00+00' + g * interval '1.000123 s' END AS at_tz,"
          + " 'row ' || g AS label FROM generate_series(1, 20000) g");
      st.execute("CREATE TABLE few (id int, v text)");
      st.execute("INSERT INTO few VALUES (1, 'a'), (2, 'b'), (NULL, 'c'), (2, 'd')");
      st.execute("CREATE TABLE nothing (id int, v text)");
      st.execute("CREATE TABLE big AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 200000) g");
      // a row of the third of four ranges (ids from 100001) sleeps; immutable, so a query without its column skips it
      st.execute("CREATE FUNCTION nap(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN"
          + " IF i BETWEEN 100001 AND 100100 THEN PERFORM pg_sleep(60); END IF; RETURN i; END $$");
      st.execute("CREATE ROLE ranger LOGIN PASSWORD '" + RANGER_PASSWORD + "'");
      st.execute("GRANT SELECT ON big TO ranger");
    }
    runtime = LakeRuntime.builder().build();
    catalog = Catalog.builder("lake").runtime(runtime)
        .database("db",
            table("events").query("events").fetchSize(700).build(),
            table("by_id").query("events").fetchSize(700).partitionColumn("id", 4).build(),
            table("by_day").query("events").fetchSize(700).partitionColumn("day", 12).build(),
            table("by_at").query("events").fetchSize(700).partitionColumn("at", 5).build(),
            table("by_at_tz").query("events").fetchSize(700).partitionColumn("at_tz", 6).build(),
            table("few").query("few").partitionColumn("id", 8).build(),
            table("nothing").query("nothing").partitionColumn("id", 4).build(),
            table("divides").sql("SELECT k, 100 / (k - 7000) AS x FROM events").partitionColumn("k", 4).build(),
            table("by_label").query("events").partitionColumn("label", 4).build(),
            table("by_nope").query("events").partitionColumn("nope", 4).build(),
            JdbcTable.builder("big", server.jdbcUrl("postgres")).query("big").fetchSize(1_000)
                .credentials(JdbcCredentials.of("ranger", RANGER_PASSWORD)).partitionColumn("id", 8).build(),
            table("slow_range").sql("SELECT id, nap(id) AS s, 1 / (id - 160000) AS x FROM big")
                .fetchSize(1_000).partitionColumn("id", 4).build(),
            table("declared").query("events").schema(Schema.of(Field.of("label", DataType.STRING),
                Field.of("k", DataType.INT64))).build(),
            table("declared_wrong").query("events").schema(Schema.of(Field.of("k", DataType.INT64),
                Field.of("label", DataType.INT32))).build(),
            table("declared_missing").query("events").schema(Schema.of(Field.of("k", DataType.INT64),
                Field.of("lable", DataType.STRING))).build())
        .build();
  }

  static JdbcTable.Builder table(String name) {
    return JdbcTable.builder(name, server.jdbcUrl("postgres")).credentials(JdbcCredentials.of(server.user(),
        server.password()));
  }

  static Connection direct() throws SQLException {
    return server.connect("postgres");
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

  static List<Map<String, Object>> rows(Frame frame, String key) {
    try (DataFrame df = frame.sort(key).collect()) {
      return df.rows();
    }
  }

  @Test
  void rangesOfIntegersDatesAndTimestampsReadWhatOneQueryReads() {
    List<Map<String, Object>> single = rows(catalog.db("db").table("events"), "k");
    assertThat(single).hasSize(20_000);
    for (String t : List.of("by_id", "by_day", "by_at", "by_at_tz")) {
      assertThat(rows(catalog.db("db").table(t), "k")).as(t).isEqualTo(single);
    }
    assertThat(JdbcPools.of(runtime).maximumConnections()).as("a pool allows a read's 12 ranges").isGreaterThanOrEqualTo(12);
    assertThat(catalog.db("db").table("by_id").explain())
        .contains("read in parallel in up to 4 ranges of \"id\"")
        .contains("(\"id\" < CAST(? AS integer) OR \"id\" IS NULL)")
        .contains("\"id\" >= CAST(? AS integer) AND \"id\" < CAST(? AS integer)");
  }

  @Test
  void aLimitedReadIsOneQuery() {
    // each range filtering a limited subquery would pick its rows anew: a limit reads by one query
    var limited = catalog.sql("SELECT k FROM db.by_id LIMIT 3");
    assertThat(limited.explain()).contains("LIMIT 3;").doesNotContain("read in parallel");
    try (DataFrame df = limited.collect()) {
      assertThat(df.rowCount()).isEqualTo(3);
    }
    assertThat(catalog.sql("SELECT k FROM db.by_id").explain()).contains("read in parallel in up to 4 ranges");
  }

  @Test
  void pushedFiltersNarrowTheRangesAndTheirBounds() {
    var db = catalog.db("db");
    Filter[] filters = {Filter.ge("k", 5_000), Filter.lt("k", 6_000)};
    List<Map<String, Object>> single = rows(db.table("events", filters), "k");
    assertThat(single).hasSize(1_000);
    Frame ranged = db.table("by_day", filters);
    assertThat(ranged.explain()).contains("WHERE \"k\" >= CAST(? AS integer) AND \"k\" < CAST(? AS integer)")
        .contains("ranges of \"day\"");
    assertThat(rows(ranged, "k")).isEqualTo(single);
    // a read of some columns: the range column is asked for, not returned
    try (DataFrame df = catalog.sql("SELECT k, label FROM db.by_at WHERE k < 100 ORDER BY k").collect()) {
      assertThat(df.columnNames()).containsExactly("k", "label");
      assertThat(df.column("k")).hasSize(99);
    }
  }

  @Test
  void moreRangesThanValuesAndEmptyTablesStillRead() {
    assertThat(rows(catalog.db("db").table("few"), "v")).extracting(r -> r.get("id") + "/" + r.get("v"))
        .containsExactly("1/a", "2/b", "null/c", "2/d");
    assertThat(rows(catalog.db("db").table("few", Filter.eq("id", 2)), "v")).hasSize(2);
    assertThat(rows(catalog.db("db").table("few", Filter.eq("v", "c")), "v")).hasSize(1);
    try (DataFrame df = catalog.db("db").table("nothing").collect()) {
      assertThat(df.rowCount()).isZero();
      assertThat(df.columnNames()).containsExactly("id", "v");
    }
  }

  /** The ranges of a read as another engine's workers read them (Spark's executors): each row once. */
  @Test
  void rangesReadOneByOneCoverEveryRowOnce() {
    ReadOptions none = ReadOptions.none();
    List<Map<String, Object>> single = rows(catalog.db("db").table("events"), "k");
    for (String t : List.of("by_id", "by_day", "by_at_tz")) {
      JdbcTable table = (JdbcTable) catalog.db("db").definition(t);
      List<JdbcTable.Range> ranges = table.ranges(none, catalog.context());
      assertThat(ranges).as(t).hasSizeGreaterThan(3).allMatch(r -> !r.isAll());
      assertThat(ranges.get(0).from()).isNull();
      assertThat(ranges.get(ranges.size() - 1).until()).isNull();
      List<Map<String, Object>> all = new java.util.ArrayList<>();
      for (JdbcTable.Range r : ranges) {
        Frame one = Catalog.builder("one").runtime(runtime).database("db", table.range(r)).build().db("db").table(t);
        assertThat(one.explain()).doesNotContain("read in parallel").containsAnyOf(" IS NULL)", ">= CAST(?");
        all.addAll(rows(one, "k"));
      }
      all.sort(java.util.Comparator.comparing(m -> ((Number) m.get("k")).longValue()));
      assertThat(all).as(t).isEqualTo(single);
    }
    // filters narrow the bounds; columns and filters of each range's read still reach the database
    JdbcTable byId = (JdbcTable) catalog.db("db").definition("by_id");
    ReadOptions some = ReadOptions.builder().filters(Filter.ge("id", 1_000), Filter.lt("id", 1_400)).build();
    List<JdbcTable.Range> narrow = byId.ranges(some, catalog.context());
    assertThat(narrow).hasSize(4);
    assertThat(narrow.get(1).from()).isEqualTo(1_100L);
    long count = 0;
    for (JdbcTable.Range r : narrow) {
      Frame one = Catalog.builder("one").runtime(runtime).database("db", byId.range(r)).build().db("db")
          .table("by_id", Filter.ge("id", 1_000), Filter.lt("id", 1_400)).select("label");
      assertThat(one.explain()).contains("\"id\" >= CAST(? AS integer)");
      try (DataFrame df = one.collect()) {
        assertThat(df.columnNames()).containsExactly("label");
        count += df.rowCount();
      }
    }
    assertThat(count).isEqualTo(rows(catalog.db("db").table("events", Filter.ge("id", 1_000), Filter.lt("id", 1_400)),
        "k").size());
    // one value, no partition column, or no rows: the whole read is one range
    JdbcTable few = (JdbcTable) catalog.db("db").definition("few");
    assertThat(few.ranges(ReadOptions.builder().filters(Filter.eq("id", 2)).build(), catalog.context())).containsExactly(JdbcTable.Range.ALL);
    assertThat(((JdbcTable) catalog.db("db").definition("nothing")).ranges(none, catalog.context()))
        .containsExactly(JdbcTable.Range.ALL);
    JdbcTable events = (JdbcTable) catalog.db("db").definition("events");
    assertThat(events.ranges(none, catalog.context())).containsExactly(JdbcTable.Range.ALL);
    assertThatThrownBy(() -> byId.ranges(ReadOptions.builder().version(1).build(), catalog.context()))
        .isInstanceOf(NeuralakeException.class).hasMessageContaining("table by_id has no versions");
    assertThatThrownBy(() -> events.range(new JdbcTable.Range(1L, 2L)))
        .isInstanceOf(NeuralakeException.class).hasMessageContaining("table events has no partition column");
  }

  @Test
  void anErrorInOneRangeNamesTheTableAndFreesEveryConnection() {
    assertThatThrownBy(() -> catalog.db("db").table("divides").collect())
        .hasMessageContaining("table divides")
        .hasMessageContaining("division by zero");
    assertThat(JdbcPools.of(runtime).activeConnections()).isZero();
    // the ranges without the failing row read
    try (DataFrame df = catalog.db("db").table("divides", Filter.lt("k", 7_000)).collect()) {
      assertThat(df.rowCount()).isEqualTo(6_999);
    }
  }

  @Test
  void aPartitionColumnMustExistAndBeSplittable() {
    assertThatThrownBy(() -> catalog.db("db").table("by_label").schema())
        .hasMessageContaining("table by_label: its partition column 'label' is of type text")
        .satisfies(e -> assertThat(((NeuralakeException) e).code()).isEqualTo(ErrorCode.INVALID_DEFINITION));
    assertThatThrownBy(() -> catalog.db("db").table("by_nope").schema())
        .hasMessageContaining("table by_nope: its partition column 'nope' is not one of its columns (k, id, day")
        .satisfies(e -> assertThat(((NeuralakeException) e).code()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND));
    assertThatThrownBy(() -> table("t").query("events").partitionColumn("id", 1))
        .hasMessageContaining("relational table 't': partitionColumn(\"id\", 1): the number of ranges must be from 2");
    assertThatThrownBy(() -> table("t").query("events").partitionColumn("label", 4)
        .schema(Schema.of(Field.of("label", DataType.STRING))).build())
        .hasMessageContaining("its partition column 'label' is declared as");
  }

  @Test
  void aStreamClosedEarlyOrCancelledGivesEveryConnectionBack() throws Exception {
    for (int i = 0; i < 12; i++) {
      try (DataFrame df = catalog.sql("SELECT id FROM db.big LIMIT 5").collect()) {
        assertThat(df.rowCount()).isEqualTo(5);
      }
    }
    Query query = catalog.db("db").table("big").prepare();
    try (ArrowReader reader = query.open()) {
      assertThat(reader.loadNextBatch()).isTrue();
    }
    Query cancelled = catalog.db("db").table("big").prepare();
    try (ArrowReader reader = cancelled.open()) {
      assertThat(reader.loadNextBatch()).isTrue();
      cancelled.cancel();
      assertThatThrownBy(() -> {
        while (reader.loadNextBatch()) {
          // read until the cancel stops the stream
        }
      }).isNotNull();
    }
    cancelled.close();
    query.close();
    assertThat(JdbcPools.of(runtime).activeConnections()).as("connections lent out").isZero();
    assertThat(busyBackends()).as("ranger's backends in a query or a transaction").isZero();
  }

  @Test
  void anErrorCancelsTheRangesStillRunningInTheDatabase() throws Exception {
    // the third of four ranges (ids from 100001) starts with rows that sleep for a minute each; the fourth fails
    assertThatThrownBy(() -> catalog.db("db").table("slow_range").collect())
        .hasMessageContaining("table slow_range").hasMessageContaining("division by zero");
    // without the cancel, the sleeping range would still hold its connection (a close waits 30 s at most)
    assertThat(JdbcPools.of(runtime).activeConnections()).as("connections lent out").isZero();
    assertThat(sleepingBackends()).isZero();
  }

  static long sleepingBackends() throws SQLException {
    try (Connection c = direct(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%nap(id)%' AND state = 'active'"
            + " AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void rangesStreamWithBoundedMemory() {
    try (LakeRuntime own = LakeRuntime.builder().build()) {
      Catalog c = Catalog.builder("x").runtime(own).database("db", JdbcTable.builder("big", server.jdbcUrl("postgres"))
          .query("big").credentials(JdbcCredentials.of("ranger", RANGER_PASSWORD)).fetchSize(1_000)
          .partitionColumn("id", 8).build()).build();
      own.engine().allocator(); // the engine exists before the peak is read
      try (DataFrame df = c.sql("SELECT count(*) AS n, sum(id) AS s, max(length(label)) AS l FROM db.big").collect()) {
        assertThat(((Number) df.get(0, "n")).longValue()).isEqualTo(200_000L);
        assertThat(((Number) df.get(0, "s")).longValue()).isEqualTo(200_000L * 200_001L / 2);
      }
      // 200,000 rows of (int, text) are about 4 MB in Arrow; 8 ranges of 1,000-row batches, at most two waiting
      // per range and one being filled, hold a fraction of that
      long peak = own.engine().allocator().getPeakMemoryAllocation();
      assertThat(peak).as("peak Arrow memory while streaming 8 ranges").isLessThan(2_000_000L);
    }
  }

  /** Backends of the ranges' user not idle: in a query or a transaction a stopped read left open. */
  static long busyBackends() throws SQLException {
    try (Connection c = direct(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = 'ranger' AND state <> 'idle'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aDeclaredSchemaIsTheContract() {
    Frame declared = catalog.db("db").table("declared", Filter.lt("k", 4L));
    assertThat(declared.schema().fields()).extracting(f -> f.name() + " " + f.type().sqlName())
        .containsExactly("label VARCHAR", "k BIGINT");
    try (DataFrame df = declared.sort("k").collect()) {
      assertThat(df.columnNames()).containsExactly("label", "k");
      assertThat(df.column("k")).containsExactly(1L, 2L, 3L);
    }
    assertThatThrownBy(() -> catalog.db("db").table("declared_wrong").collect())
        .hasMessageContaining("table declared_wrong: column 'label' is declared as")
        .hasMessageContaining("but the database has text")
        .satisfies(e -> assertThat(((NeuralakeException) e).code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH));
    assertThatThrownBy(() -> catalog.db("db").table("declared_missing").collect())
        .hasMessageContaining("table declared_missing: column 'lable' is declared but the database returns no such"
            + " column (it returns k, id, day, at, at_tz, label)");
  }

  @Test
  void aDeclaredSchemaIsDescribedWithoutConnecting() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Schema schema = Schema.of(Field.of("id", DataType.INT64));
    JdbcTable down = JdbcTable.builder("down", "jdbc:postgresql://127.0.0.1:" + port + "/postgres").query("t")
        .credentials(JdbcCredentials.of("u", "p")).connectTimeout(Duration.ofSeconds(1)).schema(schema).build();
    Catalog c = Catalog.builder("x").runtime(runtime).database("db", down).build();
    assertThat(down.schema(c.context())).isEqualTo(schema); // what describe, the site and the server show
    assertThat(down.declaredSchema()).contains(schema);
  }
}
