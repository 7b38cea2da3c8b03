package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A relational table of a catalog (a real PostgreSQL) read through the connector, on the driver,
 * and joined in Spark: filters reach the database, the answers equal the database's own and the
 * embedded engine's.
 */
class RelationalReadTest {
  private static PostgresServer postgres;
  private static SparkSession spark;
  private static Catalog embedded;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start().exposeCredentials("CLINIC_");
    try (Connection c = postgres.connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE visits AS SELECT g AS id, CASE WHEN g % 3 = 0 THEN 'us' ELSE 'apac' END AS"
          + " other, date '2024-01-01' + g % 30 AS day, (g * 0.25)::numeric(12, 2) AS cost FROM generate_series(1, 5000) g");
    }
    Path folder = Files.createTempDirectory("spark-relational-catalog");
    Files.writeString(folder.resolve("Clinic.java"), """
        import io.neuralake.catalog.Catalog;
        import io.neuralake.jdbc.JdbcCredentials;
        import io.neuralake.jdbc.JdbcTable;
        import java.util.List;

        public final class Clinic {
          public static Catalog catalog() {
            return Catalog.builder("clinic").database("clinic", "The clinic's PostgreSQL.", List.of(
                JdbcTable.builder("visits", "%s").query("public.visits")
                    .credentials(JdbcCredentials.fromEnvironment("CLINIC_"))
                    .description("Visits (PostgreSQL).").build())).build();
          }
        }
        """.formatted(postgres.jdbcUrl("postgres")));
    spark = SparkTestLake.spark();
    // a second catalog, added to the running session
    spark.conf().set("spark.sql.catalog.clinic", NeuralakeCatalog.class.getName());
    spark.conf().set("spark.sql.catalog.clinic.catalog", folder.toString());
    embedded = CatalogLoader.load(folder.toString());
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aRelationalTableReadsAsThePostgresAnswers() throws Exception {
    String sql = "SELECT day, count(*), sum(cost) FROM %s WHERE day >= DATE'2024-01-10' AND id > 100 GROUP BY day";
    List<String> spark = SparkTestLake.sparkRows(sql.formatted("clinic.clinic.visits"));
    List<String> direct = new ArrayList<>();
    try (Connection c = postgres.connect("postgres"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql.formatted("visits"))) {
      while (rs.next()) {
        direct.add(rs.getDate(1).toLocalDate() + " | " + rs.getLong(2) + " | " + rs.getBigDecimal(3));
      }
    }
    direct.sort(null);
    assertThat(spark).hasSize(21).isEqualTo(direct);
    assertThat(SparkTestLake.lakeRows(embedded.sql(sql.formatted("clinic.visits").replace("DATE'", "DATE '"))))
        .isEqualTo(direct);
    String plan = RelationalReadTest.spark.sql("EXPLAIN EXTENDED SELECT * FROM clinic.clinic.visits WHERE id > 100")
        .collectAsList().get(0).getString(0);
    assertThat(plan).contains("Neuralake clinic.clinic.visits").contains("run on the driver").contains("id > 100");
  }

  @Test
  void itJoinsWithSparksOwnDataInSpark() {
    List<String> joined = SparkTestLake.sparkRows("SELECT v.other, count(*), sum(v.cost) FROM clinic.clinic.visits v"
        + " JOIN range(1, 101) r ON v.id = r.id GROUP BY v.other");
    // ids 1 to 100: 33 multiples of 3 ('us'), 67 others ('apac'); cost = id / 4
    assertThat(joined).containsExactly("apac | 67 | 841.75", "us | 33 | 420.75");
  }
}
