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
 * Relational tables of a catalog (a real PostgreSQL) read through the connector by tasks, one per
 * range of the declared partition column, and joined in Spark: filters reach the database, the
 * answers equal the database's own and the embedded engine's.
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
      st.execute("INSERT INTO visits SELECT NULL, 'eu', date '2024-01-05', 1.00 FROM generate_series(1, 7)");
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
                    .description("Visits (PostgreSQL).").build(),
                JdbcTable.builder("visits_by_id", "%s").query("public.visits")
                    .credentials(JdbcCredentials.fromEnvironment("CLINIC_")).partitionColumn("id", 4)
                    .description("Visits, read in ranges of id.").build())).build();
          }
        }
        """.formatted(postgres.jdbcUrl("postgres"), postgres.jdbcUrl("postgres")));
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
    assertThat(plan).contains("Neuralake clinic.clinic.visits").contains("1 input partition reading the table by one"
        + " query").contains("id > 100");
  }

  @Test
  void aPartitionColumnSplitsTheReadIntoOneTaskPerRange() throws Exception {
    // ids 1 to 5,000 and 7 NULLs: four ranges, the first with the NULLs; every row read once
    assertThat(SparkTestLake.sparkRows("SELECT spark_partition_id(), count(*), count(id), min(id), max(id)"
        + " FROM clinic.clinic.visits_by_id GROUP BY 1"))
        .containsExactly("0 | 1257 | 1250 | 1 | 1250", "1 | 1250 | 1250 | 1251 | 2500", "2 | 1250 | 1250 | 2501 | 3750",
            "3 | 1250 | 1250 | 3751 | 5000");
    String sql = "SELECT other, count(*), sum(cost), count(id) FROM %s WHERE day <= DATE'2024-01-20' GROUP BY other";
    List<String> direct = new ArrayList<>();
    try (Connection c = postgres.connect("postgres"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql.formatted("visits"))) {
      while (rs.next()) {
        direct.add(rs.getString(1) + " | " + rs.getLong(2) + " | " + rs.getBigDecimal(3) + " | " + rs.getLong(4));
      }
    }
    direct.sort(null);
    assertThat(direct).hasSize(3);
    assertThat(SparkTestLake.sparkRows(sql.formatted("clinic.clinic.visits_by_id"))).isEqualTo(direct);
    // a filter on the column narrows the ranges to its span: four ranges of ids 1,001 to 1,400
    assertThat(SparkTestLake.sparkRows("SELECT spark_partition_id(), min(id), max(id) FROM clinic.clinic.visits_by_id"
        + " WHERE id > 1000 AND id <= 1400 GROUP BY 1"))
        .containsExactly("0 | 1001 | 1100", "1 | 1101 | 1200", "2 | 1201 | 1300", "3 | 1301 | 1400");
    String plan = spark.sql("EXPLAIN EXTENDED SELECT * FROM clinic.clinic.visits_by_id").collectAsList().get(0)
        .getString(0);
    assertThat(plan).contains("4 input partitions, one range of the table's partition column each");
    // a limited read is one query (a range's query cannot apply the limit)
    assertThat(spark.sql("SELECT * FROM clinic.clinic.visits_by_id LIMIT 5").collectAsList()).hasSize(5);
  }

  @Test
  void itJoinsWithSparksOwnDataInSpark() {
    List<String> joined = SparkTestLake.sparkRows("SELECT v.other, count(*), sum(v.cost) FROM clinic.clinic.visits v"
        + " JOIN range(1, 101) r ON v.id = r.id GROUP BY v.other");
    // ids 1 to 100: 33 multiples of 3 ('us'), 67 others ('apac'); cost = id / 4
    assertThat(joined).containsExactly("apac | 67 | 841.75", "us | 33 | 420.75");
  }
}
