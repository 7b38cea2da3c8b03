package io.neuralake.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.table.FunctionTable;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.ReadOptions;
import io.neuralake.testing.PostgresServer;
import io.neuralake.types.DataType;
import io.neuralake.types.Schema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relational tables against a real PostgreSQL started for the class. */
class JdbcTableTest {
  static final String READER_PASSWORD = "r" + Long.toHexString(new java.security.SecureRandom().nextLong());
  @TempDir static Path work;
  static PostgresServer server;
  static LakeRuntime runtime;
  static Catalog catalog;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.start().exposeCredentials("CLINIC_");
    try (Connection c = direct(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE patients (id bigint PRIMARY KEY, site text, score numeric(10,2), born date,"
          + " seen timestamptz, visited timestamp, active boolean, doc jsonb, uid uuid, tags text[], ratio float8,"
          + " small int2, n int4, note varchar(20), at time, raw bytea, days date[], counts int4[])");
      st.execute("INSERT INTO patients VALUES"
          + " (1, 'a', 1.50, '1980-01-02', '2024-01-02 03:04:05+00', '2024-01-02 03:04:05', true, '{\"k\": 1}',"
          + "  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{x,y}', 0.5, 7, 70, '50% off', '12:34:56', '\\x0102',"
          + "  '{2024-01-01,NULL}', '{1,2,3}'),"
          + " (2, 'b', 2.25, '1990-06-07', '2024-02-01 00:00:00+00', '2024-02-01 00:00:00', false, '[]', NULL,"
          + "  '{y}', NULL, NULL, 80, 'plain', NULL, NULL, NULL, NULL),"
          + " (3, 'a', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1.5, 9, NULL, NULL, NULL, NULL, NULL, NULL),"
          + " (4, 'B', 4.00, '2001-01-01', '2023-12-31 23:00:00-02', '2023-12-31 23:00:00', true, NULL, NULL,"
          + "  '{}', 2.0, 1, 100, '5_x', NULL, NULL, NULL, NULL)");
      st.execute("CREATE TABLE big AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 200000) g");
      st.execute("CREATE TABLE odd (id int, place point)");
      st.execute("CREATE ROLE reader LOGIN PASSWORD '" + READER_PASSWORD + "'");
      st.execute("GRANT SELECT ON patients TO reader");
    }
    Path sites = work.resolve("sites.parquet");
    try (DataFrame df = DataFrame.fromColumns(Map.of("code", List.of("a", "b", "B"),
        "city", List.of("Austin", "Boston", "Berlin")))) {
      df.writeParquet(sites);
    }
    runtime = LakeRuntime.builder().build();
    catalog = Catalog.builder("lake").runtime(runtime)
        .database("clinic", table("patients").query("public.patients").build(),
            table("big").query("big").fetchSize(1_000).build(),
            table("odd").query("odd").build(),
            table("recent").sql("SELECT id AS \"PatientId\", upper(site) AS \"Site\" FROM patients WHERE id > 1").build(),
            table("gone").query("public.dropped").build(),
            table("slow").sql("SELECT 1 AS x FROM pg_sleep(30)").queryTimeout(Duration.ofSeconds(1)).build())
        .database("lab", FunctionTable.builder("visits", () -> Frame.fromColumns(Map.of(
            "patient_id", List.of(1L, 1L, 2L, 3L, 4L), "kind", List.of("x", "y", "x", "x", "y")))).build(),
            ParquetTable.builder("sites", sites.toString()).build())
        .build();
  }

  static JdbcTable.Builder table(String name) {
    return JdbcTable.builder(name, server.jdbcUrl("postgres")).credentials(JdbcCredentials.fromEnvironment("CLINIC_"));
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

  /** The ids PostgreSQL itself returns for a condition. */
  static List<Long> idsInPostgres(String where) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = direct(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM patients WHERE " + where + " ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  static List<Long> ids(Frame frame) {
    try (DataFrame df = frame.sort("id").collect()) {
      return df.column("id").stream().map(v -> ((Number) v).longValue()).toList();
    }
  }

  @Test
  void theSchemaComesFromTheDatabasesMetadata() {
    Schema schema = catalog.db("clinic").table("patients").schema();
    assertThat(schema.fields()).extracting(f -> f.name() + " " + f.type().sqlName()).containsExactly(
        "id BIGINT", "site VARCHAR", "score DECIMAL(10,2)", "born DATE", "seen TIMESTAMPTZ", "visited TIMESTAMP",
        "active BOOLEAN", "doc VARCHAR", "uid VARCHAR", "tags VARCHAR[]", "ratio DOUBLE", "small SMALLINT",
        "n INTEGER", "note VARCHAR", "at TIME", "raw BLOB", "days DATE[]", "counts INTEGER[]");
  }

  @Test
  void aTypeWeCannotReadIsNamed() {
    assertThatThrownBy(() -> catalog.db("clinic").table("odd").collect())
        .hasMessageContaining("table odd: column 'place' is of type point")
        .hasMessageContaining(".sql(");
  }

  @Test
  void valuesRoundTrip() {
    try (DataFrame df = catalog.db("clinic").table("patients", Filter.eq("id", 1L)).collect()) {
      Map<String, Object> row = df.rows().get(0);
      assertThat(row.get("site")).isEqualTo("a");
      assertThat(row.get("score")).isEqualTo(new BigDecimal("1.50"));
      assertThat(row.get("born")).isEqualTo(LocalDate.of(1980, 1, 2));
      assertThat(row.get("visited")).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
      assertThat(row.get("seen").toString()).contains("2024-01-02T03:04:05");
      assertThat(row.get("active")).isEqualTo(true);
      assertThat(row.get("doc")).isEqualTo("{\"k\": 1}");
      assertThat(row.get("uid")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
      assertThat(row.get("tags")).isEqualTo(List.of("x", "y"));
      assertThat(row.get("ratio")).isEqualTo(0.5);
      assertThat(((Number) row.get("small")).intValue()).isEqualTo(7);
      assertThat(row.get("note")).isEqualTo("50% off");
      assertThat(row.get("at")).isEqualTo(java.time.LocalTime.of(12, 34, 56));
      assertThat((byte[]) row.get("raw")).containsExactly(1, 2);
      assertThat(row.get("days")).isEqualTo(java.util.Arrays.asList(LocalDate.of(2024, 1, 1), null));
      assertThat(row.get("counts")).isEqualTo(List.of(1, 2, 3));
    }
    try (DataFrame df = catalog.db("clinic").table("patients", Filter.eq("id", 3L)).collect()) {
      Map<String, Object> row = df.rows().get(0);
      assertThat(row.get("score")).isNull();
      assertThat(row.get("tags")).isNull();
      assertThat(row.get("n")).isNull();
    }
  }

  @Test
  void filtersArePushedAndRowsEqualPostgresOwn() throws SQLException {
    var clinic = catalog.db("clinic");
    Frame siteA = clinic.table("patients", Filter.eq("site", "a"));
    assertThat(siteA.explain()).contains("remote SQL: SELECT").contains("WHERE \"site\" = CAST(? AS text)")
        .contains("with parameters [a]");
    assertThat(ids(siteA)).isEqualTo(idsInPostgres("site = 'a'")).containsExactly(1L, 3L);
    assertThat(ids(clinic.table("patients", Filter.ne("site", "a")))).isEqualTo(idsInPostgres("site <> 'a'"));
    assertThat(ids(clinic.table("patients", Filter.lt("site", "a")))).isEqualTo(idsInPostgres("site < 'a' COLLATE \"C\""));
    assertThat(ids(clinic.table("patients", Filter.ge("score", new BigDecimal("2.25")))))
        .isEqualTo(idsInPostgres("score >= 2.25"));
    assertThat(ids(clinic.table("patients", Filter.in("n", 70, 100)))).isEqualTo(idsInPostgres("n IN (70, 100)"));
    assertThat(ids(clinic.table("patients", Filter.notIn("n", 70)))).isEqualTo(idsInPostgres("n NOT IN (70)"));
    assertThat(ids(clinic.table("patients", Filter.contains("note", "%"))))
        .isEqualTo(idsInPostgres("strpos(note, '%') > 0")).containsExactly(1L);
    assertThat(ids(clinic.table("patients", Filter.gt("seen", "2024-01-01T00:00:00Z"))))
        .isEqualTo(idsInPostgres("seen > '2024-01-01 00:00:00+00'"));
    assertThat(ids(clinic.table("patients", Filter.le("born", LocalDate.of(1990, 6, 7)))))
        .isEqualTo(idsInPostgres("born <= '1990-06-07'"));
    Frame tagged = clinic.table("patients", Filter.includes("tags", "y"));
    assertThat(tagged.explain()).contains("= ANY(\"tags\")");
    assertThat(ids(tagged)).isEqualTo(idsInPostgres("'y' = ANY(tags)"));
    Frame anyTag = clinic.table("patients", Filter.includesAny("tags", "x", "q"));
    assertThat(anyTag.explain()).contains("CAST(\"tags\" AS text[]) && ARRAY[CAST(? AS text), CAST(? AS text)]");
    assertThat(ids(anyTag)).isEqualTo(idsInPostgres("tags && ARRAY['x', 'q']")).containsExactly(1L);
    Frame allCounts = clinic.table("patients", Filter.includesAll("counts", 1, 3));
    assertThat(allCounts.explain()).contains("@> ARRAY[");
    assertThat(ids(allCounts)).isEqualTo(idsInPostgres("counts @> ARRAY[1, 3]")).containsExactly(1L);
    assertThat(ids(clinic.table("patients", Filter.includesAll("days", LocalDate.of(2024, 1, 1)))))
        .isEqualTo(idsInPostgres("days @> ARRAY[DATE '2024-01-01']")).containsExactly(1L);
  }

  @Test
  void aFixedQueryIsReadAsASubqueryWithFiltersAroundIt() {
    Frame b = catalog.db("clinic").table("recent", Filter.eq("Site", "B"));
    assertThat(b.explain()).contains("SELECT \"PatientId\", \"Site\" FROM (SELECT id AS \"PatientId\"")
        .contains(") AS q WHERE \"Site\" = CAST(? AS text)");
    try (DataFrame df = b.sort("PatientId").collect()) {
      assertThat(df.column("PatientId")).containsExactly(2L, 4L);
    }
  }

  @Test
  void aReadOfSomeColumnsAsksForThoseAndItsFilters() {
    Frame ids = catalog.db("clinic").table("patients",
        ReadOptions.builder().columns("id").filters(Filter.eq("site", "a")).build());
    assertThat(ids.explain()).contains("remote SQL: SELECT \"id\", \"site\" FROM \"public\".\"patients\" WHERE");
    try (DataFrame df = ids.collect()) {
      assertThat(df.columnNames()).containsExactly("id");
      assertThat(df.rowCount()).isEqualTo(2);
    }
  }

  @Test
  void sqlAndFramesAskOnlyForTheColumnsTheyUse() {
    Frame sql = catalog.sql("SELECT p.site FROM clinic.patients p WHERE p.id > 2 ORDER BY p.site");
    assertThat(sql.explain()).contains("remote SQL: SELECT \"id\", \"site\" FROM \"public\".\"patients\" WHERE");
    try (DataFrame df = sql.collect()) {
      assertThat(df.column("site")).containsExactly("B", "a");
    }
    Frame frame = catalog.db("clinic").table("patients").filter(io.neuralake.frame.Expr.col("active")).select("note");
    assertThat(frame.explain()).contains("remote SQL: SELECT \"active\", \"note\" FROM");
    try (DataFrame df = frame.collect()) {
      assertThat(df.column("note")).containsExactlyInAnyOrder("50% off", "5_x");
    }
    assertThat(catalog.sql("SELECT count(*) AS n FROM clinic.big").explain()).contains("remote SQL: SELECT \"id\" FROM");
  }

  @Test
  void theFirstRowsAreAskedForWithALimitOnlyWhenEveryFilterIsPushed() {
    Frame first = catalog.sql("SELECT label FROM clinic.big LIMIT 3 OFFSET 2");
    assertThat(first.explain()).contains("remote SQL: SELECT \"label\" FROM \"big\" LIMIT 5");
    try (DataFrame df = first.collect()) {
      assertThat(df.rowCount()).isEqualTo(3);
    }
    Frame pushed = catalog.db("clinic").table("patients", Filter.eq("site", "a")).limit(1);
    assertThat(pushed.explain()).contains("WHERE \"site\" = CAST(? AS text) LIMIT 1");
    try (DataFrame df = pushed.collect()) {
      assertThat(df.column("site")).containsExactly("a");
    }
    // doc (jsonb) is compared in the engine: a remote limit could return rows the engine then drops
    Frame kept = catalog.db("clinic").table("patients", Filter.eq("doc", "[]")).limit(1);
    assertThat(kept.explain()).contains("remote SQL: SELECT").doesNotContain("LIMIT 1; pushed");
    assertThat(ids(kept)).containsExactly(2L);
    // a WHERE is applied by the engine after the read: SQL asks for no limit then
    assertThat(catalog.sql("SELECT id FROM clinic.big WHERE id > 10 LIMIT 2").explain())
        .contains("WHERE \"id\" > CAST(? AS integer) with parameters [10]; pushed");
  }

  @Test
  void noMatchingRowIsAnEmptyResult() {
    try (DataFrame df = catalog.db("clinic").table("patients", Filter.eq("site", "nowhere")).collect()) {
      assertThat(df.rowCount()).isZero();
      assertThat(df.columnNames()).contains("id", "tags");
    }
  }

  @Test
  void aSlowQueryIsCancelledAtItsTimeout() {
    assertThatThrownBy(() -> catalog.db("clinic").table("slow").collect())
        .hasMessageContaining("table slow: the query at 127.0.0.1:" + server.port() + " failed")
        .hasMessageContaining("no first rows within the query timeout of 1000 ms")
        .satisfies(e -> assertThat(((io.neuralake.NeuralakeException) e).code()).isEqualTo(io.neuralake.ErrorCode.TIME_LIMIT));
  }

  @Test
  void aMissingTableIsNamed() {
    assertThatThrownBy(() -> catalog.db("clinic").table("gone").collect())
        .hasMessageContaining("table gone: the database at 127.0.0.1:" + server.port() + " cannot describe public.dropped")
        .hasMessageContaining("does not exist")
        .hasMessageContaining("check that it exists and that user '" + server.user() + "' may read it");
  }

  @Test
  void whatIsNotPushedIsStillApplied() throws SQLException {
    Frame json = catalog.db("clinic").table("patients", Filter.eq("doc", "[]"));
    assertThat(json.explain()).contains("pushed no filter").doesNotContain("WHERE \"doc\"");
    assertThat(ids(json)).containsExactly(2L);
    Frame either = catalog.db("clinic").table("patients",
        List.of(List.of(Filter.eq("site", "b")), List.of(Filter.eq("doc", "[]"))));
    assertThat(either.explain()).contains("pushed no filter");
    assertThat(ids(either)).isEqualTo(idsInPostgres("site = 'b' OR doc::text = '[]'"));
  }

  @Test
  void joinsWithOtherTableKindsInSql() {
    Frame joined = catalog.sql("SELECT v.kind, count(*) AS n FROM clinic.patients p JOIN lab.visits v"
        + " ON p.id = v.patient_id WHERE p.site = 'a' GROUP BY v.kind ORDER BY v.kind");
    assertThat(joined.explain()).contains("WHERE \"site\" = CAST(? AS text)");
    try (DataFrame df = joined.collect()) {
      assertThat(df.rows()).extracting(r -> r.get("kind") + "=" + ((Number) r.get("n")).longValue())
          .containsExactly("x=2", "y=1");
    }
  }

  @Test
  void joinsAcrossPostgresParquetAndFunctionTables() {
    Frame joined = catalog.sql("SELECT s.city, v.kind, count(*) AS n FROM clinic.patients p"
        + " JOIN lab.visits v ON p.id = v.patient_id JOIN lab.sites s ON s.code = p.site"
        + " WHERE p.active GROUP BY s.city, v.kind ORDER BY s.city, v.kind");
    try (DataFrame df = joined.collect()) {
      // active patients: 1 (site a: visits x, y) and 4 (site B: visit y)
      assertThat(df.rows()).extracting(r -> r.get("city") + "/" + r.get("kind") + "=" + ((Number) r.get("n")).longValue())
          .containsExactly("Austin/x=1", "Austin/y=1", "Berlin/y=1");
    }
  }

  @Test
  void aLargeTableStreamsInBatches() {
    runtime.engine().allocator(); // the engine exists before the peak is read
    try (DataFrame df = catalog.sql("SELECT count(*) AS n, sum(id) AS s, max(length(label)) AS l FROM clinic.big")
        .collect()) {
      assertThat(((Number) df.get(0, "n")).longValue()).isEqualTo(200_000L);
      assertThat(((Number) df.get(0, "s")).longValue()).isEqualTo(200_000L * 200_001L / 2);
    }
    // 200,000 rows of (bigint, text) are about 5 MB in Arrow; batches of 1,000 rows never hold more than a few
    long peak = runtime.engine().allocator().getPeakMemoryAllocation();
    assertThat(peak).as("peak Arrow memory while streaming").isLessThan(1_000_000L);
  }

  @Test
  void aReadStoppedEarlyGivesItsConnectionBack() {
    // more reads than a pool has connections (8): a connection kept by a stopped read would make one wait and fail
    for (int i = 0; i < 12; i++) {
      try (DataFrame df = catalog.sql("SELECT id FROM clinic.big LIMIT 5").collect()) {
        assertThat(df.rowCount()).isEqualTo(5);
      }
    }
  }

  @Test
  void unsetCredentialsNameTheVariables() {
    JdbcTable t = JdbcTable.builder("p", server.jdbcUrl("postgres")).query("patients")
        .credentials(JdbcCredentials.fromEnvironment("NEURALAKE_TEST_UNSET_")).build();
    Catalog c = Catalog.builder("x").runtime(runtime).database("db", t).build();
    assertThatThrownBy(() -> c.db("db").table("p").collect())
        .hasMessageContaining("NEURALAKE_TEST_UNSET_USER is unset");
    assertThat(JdbcCredentials.fromEnvironment("CLINIC_").toString()).isEqualTo("JdbcCredentials[CLINIC_USER / CLINIC_PASSWORD]");
  }

  @Test
  void aWrongPasswordIsNamedWithoutThePassword() {
    // the same user's pool with the right password is open: the wrong one must not borrow its connections
    assertThat(ids(catalog.db("clinic").table("patients"))).hasSize(4);
    String wrong = "not-the-password-" + System.nanoTime();
    JdbcTable t = JdbcTable.builder("p", server.jdbcUrl("postgres")).query("patients")
        .credentials(JdbcCredentials.of(server.user(), wrong)).build();
    Catalog c = Catalog.builder("x").runtime(runtime).database("db", t).build();
    assertThatThrownBy(() -> c.db("db").table("p").collect())
        .hasMessageContaining("table p: cannot connect to the database at 127.0.0.1:" + server.port())
        .hasMessageContaining("as user '" + server.user() + "'")
        .hasMessageContaining("check the user and password")
        .satisfies(e -> assertThat(((io.neuralake.NeuralakeException) e).code()).isEqualTo(io.neuralake.ErrorCode.UNAUTHENTICATED))
        .satisfies(e -> assertThat(fullText(e)).doesNotContain(wrong).doesNotContain(server.password()));
    assertThat(t.toString()).doesNotContain(wrong);
    assertThat(ids(catalog.db("clinic").table("patients"))).as("the right password still reads").hasSize(4);
  }

  @Test
  void aDownServerIsNamedWithWhatToCheck() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JdbcTable t = JdbcTable.builder("p", "jdbc:postgresql://127.0.0.1:" + port + "/postgres").query("patients")
        .credentials(JdbcCredentials.fromEnvironment("CLINIC_")).build();
    Catalog c = Catalog.builder("x").runtime(runtime).database("db", t).build();
    assertThatThrownBy(() -> c.db("db").table("p").collect())
        .hasMessageContaining("table p: cannot connect to the database at 127.0.0.1:" + port)
        .hasMessageContaining("check that the database server is running and reachable")
        .satisfies(e -> assertThat(fullText(e)).doesNotContain(server.password()));
  }

  @Test
  void credentialsStayOutOfUrls() {
    assertThatThrownBy(() -> JdbcTable.builder("p", "jdbc:postgresql://h/db?user=u&password=secret"))
        .hasMessageContaining("its URL holds credentials").hasMessageNotContaining("secret");
  }

  @Test
  void closingTheRuntimeClosesItsConnections() throws SQLException {
    try (LakeRuntime own = LakeRuntime.builder().build()) {
      Catalog c = Catalog.builder("x").runtime(own).database("db", JdbcTable.builder("patients",
          server.jdbcUrl("postgres")).query("patients").credentials(JdbcCredentials.of("reader", READER_PASSWORD))
          .build()).build();
      assertThat(ids(c.db("db").table("patients"))).hasSize(4);
      assertThat(readerConnections()).as("the pool keeps its connection for the next read").isPositive();
    }
    // a backend ends just after its client closes the socket: wait for it, boundedly
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (readerConnections() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(readerConnections()).isZero();
  }

  static long readerConnections() throws SQLException {
    try (Connection c = direct(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = 'reader'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String fullText(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }
}
