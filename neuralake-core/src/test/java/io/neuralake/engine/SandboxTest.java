package io.neuralake.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.table.FunctionTable;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A locked-down engine: catalog queries run; everything else is refused, by the guard or by the engine. */
class SandboxTest {
  @TempDir static Path dir;
  static Path lake;
  static Path outside;
  static Engine engine;
  static Catalog catalog;

  @BeforeAll
  static void setUp() throws Exception {
    lake = dir.resolve("lake");
    outside = dir.resolve("outside");
    Fixtures.writeEvents(lake.resolve("events"));
    Files.createDirectories(outside);
    try (DuckDb db = new DuckDb()) {
      db.execute("COPY (SELECT 42 AS secret) TO '" + outside.resolve("secret.parquet") + "'");
      db.execute("COPY (SELECT 42 AS secret) TO '" + outside.resolve("secret.csv") + "'");
    }
    engine = Engine.create(EngineOptions.fromEnvironment().locked(lake));
    FunctionTable squares = FunctionTable.builder("squares",
        () -> Frame.fromColumns(Map.of("n", List.of(1L, 4L, 9L)))).build();
    catalog = Catalog.builder("c").root(lake.toString()).engine(engine)
        .database("db", ParquetTable.builder("events", "events").build(), squares).build();
  }

  @AfterAll
  static void tearDown() {
    engine.close();
  }

  @Test
  void catalogQueriesRun() {
    try (DataFrame df = catalog.sql("WITH e AS (SELECT x FROM db.events WHERE x < 9) SELECT count(*) AS n, sum(s.n) AS sq"
        + " FROM e JOIN db.squares s ON e.x = s.n").collect()) {
      // x in 0..8 joins squares 1, 4 and 9 on 1 and 4
      assertThat(df.get(0, "n")).isEqualTo(2L);
      assertThat(((Number) df.get(0, "sq")).longValue()).isEqualTo(5L);
    }
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM range(10) r(i), db.events e WHERE e.x = r.i").collect()) {
      assertThat(df.get(0, "n")).isEqualTo(10L);
    }
    // frames of Java data reach the engine as Arrow streams, which the sandbox still reads
    Frame local = Frame.fromColumns(Map.of("x", List.of(1L, 2L, 3L)));
    assertThat(catalog.db("db").table("events").join(local, "x").count()).isEqualTo(3);
    assertThat(catalog.prepare("SELECT name FROM db.events").schema().names()).containsExactly("name");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "COPY (SELECT 1) TO '/tmp/x.csv'", "ATTACH '/tmp/x.db' AS x", "EXPORT DATABASE '/tmp/x'", "INSTALL spatial",
      "LOAD spatial", "SET enable_external_access = true", "PRAGMA enable_profiling", "CREATE TABLE t AS SELECT 1",
      "DROP TABLE t", "INSERT INTO t VALUES (1)", "  -- a comment\n  CALL duckdb_settings()", "DETACH x", "USE x",
      "RESET threads"})
  void statementsOtherThanAQueryAreRefused(String sql) {
    String keyword = sql.replaceAll("(?s)^\\s*--[^\\n]*\\n\\s*", "").strip().split("\\s+")[0];
    assertNotAllowed(sql, keyword + " statements are not allowed on a sandboxed engine");
  }

  @ParameterizedTest
  @ValueSource(strings = {"read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json", "read_json_auto",
      "read_ndjson", "read_text", "read_blob", "glob", "sniff_csv", "parquet_metadata", "parquet_schema", "read_duckdb"})
  void tableFunctionsThatReadFilesAreRefused(String function) {
    assertNotAllowed("SELECT * FROM " + function + "('" + outside.resolve("secret.csv") + "')",
        "the table function " + function + "(...) is not allowed: it reads files");
    // hidden in a common table expression, a subquery, or a scalar subquery of the select list
    assertNotAllowed("WITH t AS (SELECT * FROM " + function + "('/etc/passwd')) SELECT * FROM t", function + "(...)");
    assertNotAllowed("SELECT (SELECT count(*) FROM " + function + "('/etc/passwd')) AS n", function + "(...)");
    assertNotAllowed("SELECT * FROM db.events WHERE x IN (SELECT 1 FROM main." + function + "('/etc/passwd'))",
        function + "(...)");
  }

  @Test
  void otherTableFunctionsAndTablesAreRefused() {
    assertNotAllowed("SELECT * FROM query('SELECT 1')", "it runs SQL given as text");
    assertNotAllowed("SELECT * FROM query_table('t')", "it runs SQL given as text");
    assertNotAllowed("SELECT * FROM duckdb_settings()", "not one of the table functions a sandboxed engine allows");
    assertNotAllowed("SELECT * FROM '" + outside.resolve("secret.parquet") + "'", "reading the file '" + outside);
    assertNotAllowed("SELECT * FROM 'secret.csv'", "reading the file 'secret.csv' directly");
    assertNotAllowed("SELECT * FROM information_schema.tables", "'information_schema.tables' is not a table of the catalog");
    assertNotAllowed("DESCRIBE SELECT * FROM duckdb_tables", "'duckdb_tables' is not a table of the catalog");
  }

  @Test
  void functionsThatTellAboutTheEngineOrItsHostAreRefused() {
    assertNotAllowed("SELECT current_setting('temp_directory')", "current_setting(...) is not allowed");
    assertNotAllowed("SELECT upper(getenv('HOME'))", "getenv(...) is not allowed");
    assertNotAllowed("SELECT 1 WHERE current_setting('threads') > 0", "current_setting(...) is not allowed");
  }

  /** What the guard never sees (an SQL expression of a frame) still cannot leave the allowed folders. */
  @Test
  void theEngineItselfReadsNoFileOutsideItsFolders() {
    Frame sneaky = catalog.db("db").table("events").select(
        Expr.sql("(SELECT max(secret) FROM read_parquet('" + outside.resolve("secret.parquet") + "'))").as("s"));
    assertThatThrownBy(sneaky::collect).isInstanceOfSatisfying(NeuralakeException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED))
        .hasMessageContaining("the sandboxed engine reads files only under [" + lake + "]")
        .hasMessageContaining(outside.resolve("secret.parquet").toString());
    Frame escape = catalog.db("db").table("events").select(
        Expr.sql("(SELECT max(secret) FROM read_parquet('" + lake.resolve("../outside/secret.parquet") + "'))").as("s"));
    assertThatThrownBy(escape::collect).hasMessageContaining("Permission Error");
    try (var session = io.neuralake.internal.engine.Sessions.open(engine)) {
      assertThatThrownBy(() -> session.execute("SET enable_external_access = true"))
          .hasMessageContaining("the configuration has been locked");
      assertThatThrownBy(() -> session.execute("LOAD httpfs")).hasMessageContaining("disabled");
      try (DataFrame df = session.collect("SELECT current_setting('autoload_known_extensions') AS a,"
          + " current_setting('autoinstall_known_extensions') AS i, current_setting('allow_community_extensions') AS c")) {
        assertThat(df.rows().get(0).values()).containsOnly(false);
      }
    }
  }

  /** The open engine (the command line's) runs the same files as before. */
  @Test
  void anOpenEngineIsNotGuarded() {
    try (DataFrame df = Catalog.builder("open").root(lake.toString()).build()
        .sql("SELECT max(secret) AS s FROM read_parquet('" + outside.resolve("secret.parquet") + "')").collect()) {
      assertThat(df.get(0, "s")).isEqualTo(42);
    }
  }

  private static void assertNotAllowed(String sql, String message) {
    assertThatThrownBy(() -> catalog.sql(sql).collect()).isInstanceOfSatisfying(NeuralakeException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED)).hasMessageContaining(message);
  }
}
