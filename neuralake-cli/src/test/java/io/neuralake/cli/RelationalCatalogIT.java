package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.testing.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relational tables through the packaged jar (which must carry neuralake-jdbc and the PostgreSQL
 * driver): a catalog with a declared JdbcTable and a JdbcDatabase listing a schema, against a real
 * PostgreSQL, seen by {@code tables}, {@code describe}, {@code site} and {@code serve}'s doors.
 */
class RelationalCatalogIT {
  @TempDir static Path work;
  static PostgresServer postgres;
  static Path catalog;
  static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    execute("CREATE SCHEMA ward",
        "CREATE TABLE ward.patients (id bigint, site text, born date)",
        "INSERT INTO ward.patients VALUES (1, 'a', '1980-01-02'), (2, 'b', NULL), (3, 'a', '1990-06-07')",
        "COMMENT ON TABLE ward.patients IS 'Patient registry.'",
        "CREATE TABLE public.visits (patient_id bigint, kind text)",
        "INSERT INTO public.visits VALUES (1, 'x'), (1, 'y'), (3, 'x')");
    catalog = work.resolve("catalog");
    Files.createDirectories(catalog);
    Files.writeString(catalog.resolve("Hospital.java"), """
        import io.neuralake.catalog.Catalog;
        import io.neuralake.jdbc.JdbcCredentials;
        import io.neuralake.jdbc.JdbcDatabase;
        import io.neuralake.jdbc.JdbcTable;

        public final class Hospital {
          static final String URL = System.getenv("CLINIC_URL");

          public static final class Lab {
            public static final JdbcTable VISITS = JdbcTable.builder("visits", URL).query("public.visits")
                .credentials(JdbcCredentials.fromEnvironment("CLINIC_")).description("Visits (PostgreSQL).").build();
          }

          public static Catalog catalog() {
            return Catalog.builder("hospital")
                .database("lab", Lab.class)
                .database(JdbcDatabase.of("clinic", URL, JdbcCredentials.fromEnvironment("CLINIC_"), "ward"))
                .build();
          }
        }
        """);
    env = Map.of("CLINIC_URL", postgres.jdbcUrl("postgres"), "CLINIC_USER", postgres.user(),
        "CLINIC_PASSWORD", postgres.password(), "NEURALAKE_CACHE_DIR", work.resolve("cache").toString(),
        "NEURALAKE_LAKE_ROOT", work.toString());
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  static void execute(String... statements) throws SQLException {
    try (Connection c = postgres.connect("postgres");
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  static Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--catalog");
    all.add(catalog.toString());
    Cli.Result r = Cli.jar(work, env, all.toArray(String[]::new));
    assertThat(r.out() + r.err()).as("no password in any output").doesNotContain(postgres.password());
    return r;
  }

  @Test
  void tablesAndDescribeShowRelationalTables() {
    Cli.Result tables = cli("tables");
    assertThat(tables.exitCode()).as(tables.toString()).isZero();
    assertThat(tables.out()).contains("lab.visits").contains("clinic.patients").contains("Patient registry.");
    Cli.Result describe = cli("describe", "clinic.patients");
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    assertThat(describe.out()).contains("(jdbc table)").contains("Patient registry.").contains("site")
        .contains("born").contains(postgres.jdbcUrl("postgres") + " ward.patients");
    Cli.Result gone = cli("describe", "clinic.nothing");
    assertThat(gone.exitCode()).as(gone.toString()).isNotZero();
    assertThat(gone.err()).contains("database 'clinic' has no table 'nothing' (now); its tables are: patients");
  }

  @Test
  void theSiteIsBuiltFromMetadataWithoutReadingRows() throws Exception {
    Path site = work.resolve("site");
    Cli.Result r = cli("site", "--out", site.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String json = Files.readString(site.resolve("catalog.json"));
    assertThat(json).contains("\"qualified_name\" : \"clinic.patients\"").contains("\"kind\" : \"jdbc\"")
        .contains("\"qualified_name\" : \"lab.visits\"").doesNotContain("could not read the schema");
    try (Stream<Path> pages = Files.walk(site)) {
      List<Path> html = pages.filter(p -> p.toString().endsWith(".html")).toList();
      assertThat(html).extracting(p -> site.relativize(p).toString()).contains("db/clinic/patients.html");
      for (Path p : html) {
        assertThat(Files.readString(p)).as(p.toString()).doesNotContain(postgres.password());
      }
    }
  }

  @Test
  void servedOverThePostgresDoorAndHttpWithTablesListedWhenAsked() throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--catalog", catalog.toString()));
    args.addAll(Cli.freeDoorPorts());
    Path log = work.resolve("serve.log");
    Process server = Cli.serveReady(work, env, log, args);
    try {
      String started = Files.readString(log);
      assertThat(started).contains("serving catalog hospital (databases: lab, clinic)").doesNotContain(postgres.password());
      String pg = args.get(args.indexOf("--pg-port") + 1);
      String http = "http://127.0.0.1:" + args.get(args.indexOf("--http-port") + 1);
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg + "/clinic?user=anyone&password=none");
          Statement s = c.createStatement()) {
        try (ResultSet r = s.executeQuery("SELECT v.kind, count(*) AS n FROM clinic.patients p JOIN lab.visits v"
            + " ON p.id = v.patient_id WHERE p.site = 'a' GROUP BY v.kind ORDER BY v.kind")) {
          List<String> rows = new ArrayList<>();
          while (r.next()) {
            rows.add(r.getString(1) + "=" + r.getLong(2));
          }
          assertThat(rows).containsExactly("x=2", "y=1");
        }
        // created remotely while the server runs: listed and read without a restart
        execute("CREATE TABLE ward.beds (id int)", "INSERT INTO ward.beds VALUES (1), (2)");
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM clinic.beds")) {
          assertThat(r.next()).isTrue();
          assertThat(r.getLong(1)).isEqualTo(2);
        }
        assertThat(get(http + "/api/schema")).contains("clinic.beds").contains("clinic.patients").contains("lab.visits");
        execute("DROP TABLE ward.beds");
        assertThat(get(http + "/api/schema")).doesNotContain("clinic.beds");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM clinic.beds"))
            .hasMessageContaining("clinic.beds is not in the catalog");
      }
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http + "/api/sql"))
          .timeout(Duration.ofSeconds(60)).header("Accept", "text/csv")
          .POST(HttpRequest.BodyPublishers.ofString("SELECT id FROM clinic.patients WHERE born IS NOT NULL ORDER BY id"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(body.lines().toList()).containsExactly("id", "1", "3");
      // the live site's page of a listed table, and its freshness (what the page asks for), from metadata
      assertThat(get(http + "/db/clinic/patients.html")).contains("id=\"live-section\"").contains("Patient registry.");
      assertThat(get(http + "/api/freshness/clinic.patients")).contains("\"kind\":\"jdbc\"");
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).doesNotContain(postgres.password());
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void theDemoWritesAndQueriesItsPostgresTableWhenOneIsNamed() {
    Map<String, String> demoEnv = Map.of("NEURALAKE_DEMO_PG_URL", postgres.jdbcUrl("postgres"),
        "NEURALAKE_DEMO_PG_USER", postgres.user(), "NEURALAKE_DEMO_PG_PASSWORD", postgres.password(),
        "NEURALAKE_CACHE_DIR", work.resolve("cache").toString());
    Cli.Result demo = Cli.jar(work, demoEnv, "demo", "--dir", "demo-pg");
    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.out()).contains("PostgreSQL: wrote neuralake_demo.implants at " + postgres.jdbcUrl("postgres"))
        .contains("--- clinic.implants (PostgreSQL, its schema listed at run time) joined with bci.spikes (Parquet) ---")
        .containsPattern("motor cortex\\s*┆\\s*2\\s*┆")
        .contains("remote SQL: SELECT").contains("\"site\" = CAST(? AS text)")
        .contains("describe --catalog").contains("clinic.implants");
    assertThat(demo.out() + demo.err()).doesNotContain(postgres.password());
    Cli.Result again = Cli.jar(work, demoEnv, "demo", "--dir", "demo-pg");
    assertThat(again.exitCode()).as("a rerun rewrites the table: " + again).isZero();
    Cli.Result tables = Cli.jar(work, Map.of("NEURALAKE_DEMO_PG_URL", postgres.jdbcUrl("postgres"),
        "NEURALAKE_DEMO_PG_USER", postgres.user(), "NEURALAKE_DEMO_PG_PASSWORD", postgres.password(),
        "NEURALAKE_LAKE_ROOT", work.resolve("demo-pg").toString()),
        "tables", "--catalog", work.resolve("demo-pg/catalog").toString());
    assertThat(tables.out()).as(tables.toString()).contains("clinic.implants").contains("bci.spikes");
  }

  @Test
  void theDemoSkipsPostgresWithALineSayingWhy() throws Exception {
    int closed;
    try (var s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closed + "/postgres";
    Cli.Result down = Cli.jar(work, Map.of("NEURALAKE_DEMO_PG_URL", url, "NEURALAKE_DEMO_PG_USER", "someone",
        "NEURALAKE_DEMO_PG_PASSWORD", "not-this-one"), "demo", "--dir", "demo-down");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(down.out()).contains("PostgreSQL: skipped: cannot write neuralake_demo.implants at " + url
        + " as user 'someone'").contains("check that PostgreSQL runs there")
        .doesNotContain("clinic.implants").doesNotContain("not-this-one");
    Cli.Result unset = Cli.jar(work, Map.of(), "demo", "--dir", "demo-none");
    assertThat(unset.exitCode()).as(unset.toString()).isZero();
    assertThat(unset.out()).contains("PostgreSQL: skipped: NEURALAKE_DEMO_PG_URL is not set").doesNotContain("clinic.");
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
