package io.neuralake.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.engine.EngineOptions;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.table.FunctionTable;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.PostgresServer;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One SQL statement across PostgreSQL, Parquet, Delta and function tables gives the rows the same
 * statement gives over the same data copied into a plain DuckDB; each side is pruned by its own
 * predicates; and a PostgreSQL table larger than the engine's memory limit flows through a join.
 */
class JdbcFederationTest {
  static final int PATIENTS = 2_000;
  /** About 150 MB of text: more than the {@link #MEMORY_LIMIT} the engine of the large read is given. */
  static final int READINGS = 1_500_000;
  static final String MEMORY_LIMIT = "64MB";
  static final String QUERY = "SELECT s.city, k.label, count(*) AS n, sum(p.score) AS score"
      + " FROM clinic.patients p JOIN lab.sites s ON s.code = p.site"
      + " JOIN lab.visits v ON v.patient_id = p.id JOIN lab.kinds k ON k.kind = v.kind"
      + " WHERE p.born >= DATE '2020-03-01' AND v.day < DATE '2021-06-01' AND s.city <> 'Boston'"
      + " GROUP BY s.city, k.label ORDER BY s.city, k.label";

  @TempDir static Path work;
  static PostgresServer server;
  static LakeRuntime runtime;
  static Catalog catalog;
  static Map<String, List<?>> visits;
  static Map<String, List<?>> kinds;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.start().exposeCredentials("FED_");
    try (Connection c = postgres(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE patients AS SELECT g::bigint AS id, (ARRAY['a','b','c'])[1 + g % 3] AS site,"
          + " ((g % 97) + 0.25)::numeric(6,2) AS score, DATE '2020-01-01' + g % 400 AS born"
          + " FROM generate_series(1, " + PATIENTS + ") g");
      st.execute("CREATE TABLE readings AS SELECT g::bigint AS id, (1 + g % " + PATIENTS + ")::bigint AS patient_id,"
          + " repeat(md5(g::text), 3) AS payload FROM generate_series(1, " + READINGS + ") g");
    }
    Path sites = work.resolve("sites.parquet");
    try (DataFrame df = DataFrame.fromColumns(Map.of("code", List.of("a", "b", "c"),
        "city", List.of("Austin", "Boston", "Cairo")))) {
      df.writeParquet(sites);
    }
    List<Long> patientIds = new ArrayList<>();
    List<String> kind = new ArrayList<>();
    List<LocalDate> day = new ArrayList<>();
    for (int i = 0; i < 3 * PATIENTS; i++) {
      patientIds.add(1L + (i * 7L) % PATIENTS);
      kind.add(i % 5 == 0 ? "mri" : i % 2 == 0 ? "eeg" : "blood");
      day.add(LocalDate.of(2020, 1, 1).plusDays(i % 700));
    }
    visits = new LinkedHashMap<>();
    visits.put("patient_id", patientIds);
    visits.put("kind", kind);
    visits.put("day", day);
    kinds = new LinkedHashMap<>();
    kinds.put("kind", List.of("mri", "eeg", "blood"));
    kinds.put("label", List.of("imaging", "neural", "lab"));

    runtime = LakeRuntime.builder().build();
    DeltaTable visitsTable = DeltaTable.builder("visits", work.resolve("visits").toUri().toString())
        .schema(Schema.of(Field.of("patient_id", DataType.INT64), Field.of("kind", DataType.STRING),
            Field.of("day", DataType.DATE)))
        .build();
    catalog = Catalog.builder("fed").runtime(runtime)
        .database("clinic", pg("patients"), pg("readings"))
        .database("lab", ParquetTable.builder("sites", sites.toString()).build(), visitsTable,
            FunctionTable.builder("kinds", () -> Frame.fromColumns(kinds)).build())
        .build();
    visitsTable.create(catalog.context());
    try (DataFrame rows = DataFrame.fromColumns(visits)) {
      visitsTable.append(rows).context(catalog.context()).commit();
    }
  }

  static JdbcTable pg(String table) {
    return JdbcTable.builder(table, server.jdbcUrl("postgres")).query(table)
        .credentials(JdbcCredentials.fromEnvironment("FED_")).build();
  }

  static Connection postgres() throws SQLException {
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

  @Test
  void aJoinOfEveryKindEqualsTheSameQueryOverACopyInDuckDb() throws Exception {
    List<String> ours;
    Frame joined = catalog.sql(QUERY);
    try (DataFrame df = joined.collect()) {
      ours = df.rows().stream().map(JdbcFederationTest::line).toList();
    }
    assertThat(ours).isNotEmpty().isEqualTo(inDuckDb());
    // each source is narrowed by its own predicates: PostgreSQL in its WHERE, Delta by its statistics
    assertThat(joined.explain()).contains("WHERE \"born\" >= CAST(? AS date)")
        .contains("clinic.patients (jdbc)").contains("lab.visits (delta)");
  }

  /** The same statement over the same rows in a plain in-memory DuckDB. */
  static List<String> inDuckDb() throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
      st.execute("CREATE SCHEMA clinic");
      st.execute("CREATE SCHEMA lab");
      st.execute("CREATE TABLE clinic.patients (id BIGINT, site VARCHAR, score DECIMAL(6,2), born DATE)");
      try (Connection pg = postgres(); Statement read = pg.createStatement();
          ResultSet rs = read.executeQuery("SELECT id, site, score, born FROM patients");
          PreparedStatement insert = duck.prepareStatement("INSERT INTO clinic.patients VALUES (?, ?, ?, ?)")) {
        while (rs.next()) {
          insert.setLong(1, rs.getLong(1));
          insert.setString(2, rs.getString(2));
          insert.setBigDecimal(3, rs.getBigDecimal(3));
          insert.setObject(4, rs.getObject(4, LocalDate.class));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      st.execute("CREATE TABLE lab.sites AS SELECT * FROM read_parquet('"
          + work.resolve("sites.parquet").toString().replace("'", "''") + "')");
      st.execute("CREATE TABLE lab.visits (patient_id BIGINT, kind VARCHAR, day DATE)");
      copy(duck, "lab.visits", visits);
      st.execute("CREATE TABLE lab.kinds (kind VARCHAR, label VARCHAR)");
      copy(duck, "lab.kinds", kinds);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(QUERY)) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          out.add(line(row));
        }
      }
      return out;
    }
  }

  static void copy(Connection duck, String table, Map<String, List<?>> columns) throws SQLException {
    List<List<?>> values = new ArrayList<>(columns.values());
    String marks = String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
    try (PreparedStatement insert = duck.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
      for (int r = 0; r < values.get(0).size(); r++) {
        for (int c = 0; c < values.size(); c++) {
          insert.setObject(c + 1, values.get(c).get(r));
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** A row as text, numbers compared by value whatever their Java type. */
  static String line(Map<String, Object> row) {
    List<String> parts = new ArrayList<>();
    row.forEach((k, v) -> parts.add(k + "=" + (v instanceof Number n
        ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString() : String.valueOf(v))));
    return String.join(", ", parts);
  }

  @Test
  void aTableLargerThanTheEnginesMemoryFlowsThroughAJoin() throws SQLException {
    String join = "SELECT p.site, count(*) AS n, sum(length(r.payload)) AS bytes FROM %s r JOIN %s p"
        + " ON r.patient_id = p.id WHERE p.site <> 'c' GROUP BY p.site ORDER BY p.site";
    List<String> expected = new ArrayList<>();
    try (Connection c = postgres(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(join.formatted("readings", "patients"))) {
      while (rs.next()) {
        expected.add(rs.getString(1) + "=" + rs.getLong(2) + "/" + rs.getLong(3));
      }
    }
    try (LakeRuntime small = LakeRuntime.builder().engineOptions(new EngineOptions(Optional.of(MEMORY_LIMIT), 2,
        Optional.of(work.resolve("spill")))).build()) {
      Catalog limited = Catalog.builder("limited").runtime(small).database("clinic", pg("patients"), pg("readings"))
          .build();
      try (DataFrame df = limited.sql(join.formatted("clinic.readings", "clinic.patients")).collect()) {
        assertThat(df.rows()).extracting(r -> r.get("site") + "=" + ((Number) r.get("n")).longValue() + "/"
            + ((Number) r.get("bytes")).longValue()).isEqualTo(expected);
      }
      long bytes = 0;
      for (String line : expected) {
        bytes += Long.parseLong(line.substring(line.indexOf('/') + 1));
      }
      assertThat(bytes).as("text read through the join, more than the engine's memory").isGreaterThan(64L << 20);
    }
  }
}
