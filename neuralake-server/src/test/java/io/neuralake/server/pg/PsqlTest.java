package io.neuralake.server.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** psql, PostgreSQL's own client, run as a process against the door: queries and its backslash commands. */
class PsqlTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;

  @BeforeAll
  static void start() {
    assumeTrue(PgClients.hasPsql(), "psql is not on PATH: install Debian's postgresql-client to run these tests");
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).flightPort(0).pgPort(NeuralakeServer.ANY_PORT));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      lake.close();
    }
  }

  /** Runs psql with one command as admin (password from PGPASSWORD) and returns what it printed. */
  private static String psql(String command) throws IOException, InterruptedException {
    PgClients.Psql p = PgClients.psql(server, dir, Map.of("PGPASSWORD", ServerFixture.ADMIN_PASSWORD), "-U", "admin",
        "-d", "test", "-v", "ON_ERROR_STOP=1", "-c", command);
    assertThat(p.exit()).as("psql exit status; it printed:\n" + p.output()).isZero();
    return p.output();
  }

  @Test
  void selectPrintsRows() throws Exception {
    String out = psql("SELECT p_partkey, p_name FROM tpch.part ORDER BY p_partkey LIMIT 2");
    assertThat(out).containsPattern("p_partkey \\|\\s+p_name").contains("goldenrod lavender spring chocolate lace")
        .contains("(2 rows)");
  }

  @Test
  void columnsAreNamedAsPostgreSqlNamesThem() throws Exception {
    String out = psql("SELECT count(*), sum(p_size), p_size::int, 1 FROM tpch.part GROUP BY p_size ORDER BY p_size LIMIT 1");
    assertThat(out).containsPattern("count\\s+\\|\\s+sum\\s+\\|\\s+p_size\\s+\\|\\s+\\?column\\?").contains("(1 row)");
  }

  @Test
  void listsTables() throws Exception {
    String out = psql("\\dt");
    assertThat(out).contains("List of relations").containsPattern("bci\\s+\\|\\s+spikes\\s+\\|\\s+table")
        .containsPattern("tpch\\s+\\|\\s+orders\\s+\\|\\s+table").containsPattern("tpch\\s+\\|\\s+part\\s+\\|\\s+table");
  }

  @Test
  void describesATable() throws Exception {
    String out = psql("\\d tpch.orders");
    assertThat(out).contains("Table \"tpch.orders\"")
        .containsPattern("o_orderkey\\s+\\|\\s+bigint\\s+\\|\\s+\\|\\s+not null")
        .containsPattern("o_custkey\\s+\\|\\s+bigint\\s+\\|\\s+\\|\\s+\\|")
        .doesNotContain("Tablespace")
        .containsPattern("o_totalprice\\s+\\|\\s+double precision")
        .containsPattern("o_orderdate\\s+\\|\\s+date");
    assertThat(psql("\\d tpch.part")).contains("Table \"tpch.part\"").contains("p_partkey");
  }

  @Test
  void listsDatabasesAndSchemas() throws Exception {
    assertThat(psql("\\l")).contains("List of databases").containsPattern("test\\s+\\|\\s+neuralake\\s+\\|\\s+UTF8");
    assertThat(psql("\\dn")).contains("List of schemas").containsPattern("bci\\s+\\|\\s+neuralake")
        .containsPattern("tpch\\s+\\|\\s+neuralake").doesNotContain("pg_catalog");
  }
}
