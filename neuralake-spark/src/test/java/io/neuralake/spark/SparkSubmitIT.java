package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.delta.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's set-up, run as written: Spark's own launcher (SparkSubmit, as spark-sql and
 * spark-submit run it) in a JVM of its own whose class path is Spark's alone, the connector given
 * with {@code --jars neuralake-spark.jar} and the catalog with {@code --conf}. Proves the shaded jar
 * brings what Spark lacks and nothing that clashes with what Spark has.
 */
class SparkSubmitIT {
  private static final Path JAR = SparkProcesses.JAR;
  private static Path work;
  private static Path catalog;

  @BeforeAll
  static void setUp() throws Exception {
    assertThat(JAR).as("built by `package`").isRegularFile();
    work = Files.createTempDirectory("spark-submit-it");
    catalog = SparkTestLake.writeCatalog(work.resolve("catalog"), false);
  }

  @Test
  void theJarCarriesNeuralakeButNotSparkAndMovesWhatWouldClash() throws IOException {
    Set<String> prefixes = new HashSet<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class"))
          .forEach(n -> prefixes.add(n.substring(0, Math.max(0, n.lastIndexOf('/')))));
    }
    assertThat(prefixes).contains("io/neuralake/spark", "io/neuralake/catalog", "io/neuralake/delta", "org/duckdb")
        .anyMatch(p -> p.startsWith("io/neuralake/shaded/jackson"))
        .anyMatch(p -> p.startsWith("io/neuralake/shaded/delta/kernel"))
        .noneMatch(p -> p.startsWith("org/apache/spark") || p.startsWith("scala/")
            || p.startsWith("com/fasterxml/jackson") || p.startsWith("org/apache/hadoop")
            || p.startsWith("org/apache/arrow/vector") || p.startsWith("io/delta/")
            || p.startsWith("org/slf4j") || p.startsWith("org/apache/logging"));
  }

  @Test
  void sparkSubmitWithTheJarAndTheCatalogOptionReadsAndAppendsToTheLake() throws Exception {
    String spikes = "SELECT implant_id, date, count(*) AS n, CAST(sum(spike_count) AS BIGINT) AS s FROM %s.bci.spikes"
        + " WHERE implant_id = 4595 GROUP BY implant_id, date";
    String orders = "SELECT o_region, count(*) AS n FROM %s.shop.orders GROUP BY o_region";
    Catalog embedded = CatalogLoader.load(catalog.toString());
    ((DeltaTable) embedded.db("sink").definition("readings")).create(embedded.context());
    String insert = "INSERT INTO lake.sink.readings SELECT id, 'a', id * 0.5, NULL, NULL, NULL,"
        + " date_add(DATE'2024-04-28', CAST(id % 3 AS INT)) FROM range(0, 1000, 1, 2)";
    String readings = "SELECT count(*), sum(id), count(DISTINCT day) FROM %s.sink.readings";
    List<String> out = SparkProcesses.submit(work, catalog, List.of("--master", "local[2]"), Map.of(),
        "SHOW NAMESPACES IN lake", "SHOW TABLES IN lake.shop",
        spikes.formatted("lake"), orders.formatted("lake"), insert, readings.formatted("lake"));

    List<String> expected = new ArrayList<>();
    expected.add("1: bci");
    expected.add("1: fn");
    expected.add("1: interop");
    expected.add("1: shop");
    expected.add("1: sink");
    expected.add("2: shop | orders | false");
    SparkTestLake.lakeRows(embedded.sql(spikes.formatted("").replace(" .bci", " bci"))).forEach(r -> expected.add("3: " + r));
    SparkTestLake.lakeRows(embedded.sql(orders.formatted("").replace(" .shop", " shop"))).forEach(r -> expected.add("4: " + r));
    // the append Spark's executors wrote and its driver committed, read back by the embedded engine
    expected.add("6: 1000 | 499500 | 3");
    assertThat(SparkTestLake.lakeRows(embedded.sql(readings.formatted("").replace(" .sink", " sink"))))
        .containsExactly("1000 | 499500 | 3");
    assertThat(out).containsExactlyElementsOf(expected);
  }
}
