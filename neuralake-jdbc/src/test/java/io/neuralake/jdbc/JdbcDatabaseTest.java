package io.neuralake.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.table.FunctionTable;
import io.neuralake.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A whole PostgreSQL schema as a database, listed at run time, against a real PostgreSQL. */
class JdbcDatabaseTest {
  static PostgresServer server;
  static LakeRuntime runtime;
  static Catalog catalog;

  /** A database class that curates one table and lists the rest of the schema. */
  public static final class Ward {
    public static JdbcDatabase listed;
    public static JdbcTable beds;
  }

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.start().exposeCredentials("WARD_");
    execute("CREATE SCHEMA ward",
        "CREATE TABLE ward.patients (id bigint, site text)",
        "INSERT INTO ward.patients VALUES (1, 'a'), (2, 'b'), (3, 'a')",
        "COMMENT ON TABLE ward.patients IS 'Patient registry.'",
        "CREATE VIEW ward.site_a AS SELECT id FROM ward.patients WHERE site = 'a'",
        "CREATE TABLE ward.axb (id int)",
        "CREATE TABLE ward.\"Odd Name\" (id int)",
        "CREATE TABLE public.elsewhere (id int)");
    runtime = LakeRuntime.builder().build();
    catalog = Catalog.builder("lake").runtime(runtime)
        .database(JdbcDatabase.of("clinic", server.jdbcUrl("postgres"), JdbcCredentials.fromEnvironment("WARD_"), "ward")
            .description("The ward's schema."))
        .database("lab", FunctionTable.builder("visits", () -> Frame.fromColumns(Map.of(
            "patient_id", List.of(1L, 3L, 3L)))).build())
        .build();
  }

  static void execute(String... statements) throws SQLException {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
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
  void theSchemasTablesAndViewsAreTheDatabasesTables() {
    assertThat(catalog.db("clinic").description()).isEqualTo("The ward's schema.");
    assertThat(catalog.db("clinic").tables()).as("a name that is no catalog table name is left out")
        .containsExactlyInAnyOrder("patients", "site_a", "axb");
    assertThat(catalog.db("clinic").definition("patients").kind()).isEqualTo("jdbc");
    assertThat(catalog.db("clinic").definition("patients").metadata().description()).isEqualTo("Patient registry.");
    assertThat(catalog.db("clinic").table("patients").schema().fields()).extracting(f -> f.name())
        .containsExactly("id", "site");
  }

  @Test
  void aTableLeftOutOfTheListingCanBeDeclaredUnderAnotherName() throws SQLException {
    execute("INSERT INTO ward.\"Odd Name\" VALUES (5)");
    JdbcTable odd = JdbcTable.builder("odd_name", server.jdbcUrl("postgres")).query("ward.Odd Name")
        .credentials(JdbcCredentials.fromEnvironment("WARD_")).build();
    Catalog c = Catalog.builder("x").runtime(runtime).database("ward", odd).build();
    try (DataFrame df = c.db("ward").table("odd_name").collect()) {
      assertThat(df.column("id")).containsExactly(5);
    }
  }

  @Test
  void aListedTableReadsWithPushdownAndJoinsInSql() {
    Frame siteA = catalog.db("clinic").table("patients", Filter.eq("site", "a"));
    assertThat(siteA.explain()).contains("FROM \"ward\".\"patients\" WHERE \"site\" = CAST(? AS text)");
    try (DataFrame df = siteA.sort("id").collect()) {
      assertThat(df.column("id")).containsExactly(1L, 3L);
    }
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM clinic.site_a s JOIN lab.visits v ON s.id = v.patient_id")
        .collect()) {
      assertThat(((Number) df.get(0, "n")).longValue()).isEqualTo(3);
    }
  }

  @Test
  void tablesCreatedAndDroppedRemotelyAreSeenWithoutRebuildingTheCatalog() throws SQLException {
    execute("CREATE TABLE ward.later (x int)", "INSERT INTO ward.later VALUES (7)");
    assertThat(catalog.db("clinic").tables()).contains("later");
    try (DataFrame df = catalog.sql("SELECT x FROM clinic.later").collect()) {
      assertThat(df.column("x")).containsExactly(7);
    }
    execute("DROP TABLE ward.later");
    assertThat(catalog.db("clinic").tables()).doesNotContain("later");
    assertThatThrownBy(() -> catalog.sql("SELECT x FROM clinic.later").collect())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
        .hasMessageContaining("clinic.later");
    assertThatThrownBy(() -> catalog.db("clinic").table("later"))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
        .hasMessageContaining("database 'clinic' has no table 'later' (now)");
  }

  @Test
  void aLookupIsExactThoughUnderscoreIsAPatternInMetadata() {
    // "a_b" as a metadata pattern matches "axb": the lookup must not find it
    assertThatThrownBy(() -> catalog.db("clinic").definition("a_b")).hasMessageContaining("has no table 'a_b'");
    assertThat(catalog.db("clinic").definition("axb").name()).isEqualTo("axb");
  }

  @Test
  void aDatabaseClassListsASchemaBesideItsDeclaredTables() throws SQLException {
    execute("CREATE TABLE IF NOT EXISTS public.beds (id int)", "INSERT INTO public.beds VALUES (1), (2)");
    Ward.listed = JdbcDatabase.of("ignored", server.jdbcUrl("postgres"), JdbcCredentials.fromEnvironment("WARD_"), "ward");
    Ward.beds = JdbcTable.builder("beds", server.jdbcUrl("postgres")).query("public.beds")
        .credentials(JdbcCredentials.fromEnvironment("WARD_")).description("Beds, declared.").build();
    Catalog c = Catalog.builder("lake").runtime(runtime).database("ward", Ward.class).build();
    assertThat(c.db("ward").tables()).startsWith("beds").contains("patients", "site_a");
    try (DataFrame df = c.sql("SELECT (SELECT count(*) FROM ward.beds) AS beds, (SELECT count(*) FROM ward.patients) AS p")
        .collect()) {
      assertThat(df.rows()).extracting(r -> ((Number) r.get("beds")).longValue() + "/" + ((Number) r.get("p")).longValue())
          .containsExactly("2/3");
    }
  }

  @Test
  void aMissingSchemaIsNamed() {
    Catalog c = Catalog.builder("x").runtime(runtime).database(JdbcDatabase.of("clinic", server.jdbcUrl("postgres"),
        JdbcCredentials.fromEnvironment("WARD_"), "Ward")).build();
    assertThatThrownBy(() -> c.db("clinic").tables())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND))
        .hasMessageContaining("relational database clinic: the database at 127.0.0.1:" + server.port()
            + " has no schema 'Ward'");
  }

  @Test
  void anUnreachableDatabaseIsNamedWhenListed() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Catalog c = Catalog.builder("x").runtime(runtime).database(JdbcDatabase.of("clinic",
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", JdbcCredentials.fromEnvironment("WARD_"), "ward")).build();
    assertThat(c.dbs()).as("building the catalog connects to nothing").containsExactly("clinic");
    assertThatThrownBy(() -> c.db("clinic").tables())
        .hasMessageContaining("database clinic (schema ward): cannot connect to the database at 127.0.0.1:" + port)
        .hasMessageNotContaining(server.password());
  }

  @Test
  void credentialsStayOutOfTheUrl() {
    assertThatThrownBy(() -> JdbcDatabase.of("clinic", "jdbc:postgresql://h/db?password=secret",
        JdbcCredentials.fromEnvironment("WARD_"), "ward"))
        .hasMessageContaining("its URL holds credentials").hasMessageNotContaining("secret");
  }
}
