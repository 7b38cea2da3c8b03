package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.delta.DeltaTable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's set-up, run as written: Spark's own launcher (SparkSubmit, as spark-sql and
 * spark-submit run it) in a JVM of its own whose class path is Spark's alone, the connector given
 * with {@code --jars neuralake-spark.jar} and the catalog with {@code --conf}. Proves the shaded jar
 * brings what Spark lacks and nothing that clashes with what Spark has.
 */
class SparkSubmitIT {
  private static final Path JAR = Path.of("target", "neuralake-spark.jar").toAbsolutePath();
  private static Path work;
  private static Path catalog;
  private static Path snippet;

  @BeforeAll
  static void setUp() throws Exception {
    assertThat(JAR).as("built by `package`").isRegularFile();
    work = Files.createTempDirectory("spark-submit-it");
    catalog = SparkTestLake.writeCatalog(work.resolve("catalog"), false);
    snippet = sqlRunnerJar(work);
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
    List<String> out = submit("SHOW NAMESPACES IN lake", "SHOW TABLES IN lake.shop",
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

  /** Runs SparkSubmit, as spark-sql's script does, with the README's options; the statements' rows, numbered. */
  private static List<String> submit(String... statements) throws Exception {
    Properties flags = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("..", "bin", "jvm.properties"))) {
      flags.load(in);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(flags.getProperty("spark.jvm.opens").split(" ")));
    command.addAll(Arrays.asList(flags.getProperty("neuralake.jvm.opens").split(" ")));
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(sparkClassPath());
    command.add("org.apache.spark.deploy.SparkSubmit");
    command.addAll(List.of("--master", "local[2]",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.sql.shuffle.partitions=2",
        "--jars", JAR.toString(),
        "--conf", "spark.sql.catalog.lake=io.neuralake.spark.NeuralakeCatalog",
        "--conf", "spark.sql.catalog.lake.catalog=" + catalog,
        "--class", "SqlRunner", snippet.toString()));
    command.addAll(List.of(statements));
    Path log = work.resolve("spark-submit.log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("spark-submit failed; its log:\n" + Files.readString(log)).isZero();
    List<String> rows = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.matches("\\d+: .*")) {
        rows.add(line);
      }
    }
    return rows;
  }

  /**
   * Spark's class path without the connector: the test's own, less the libraries the shaded jar
   * carries (a jar whose classes are in it), Neuralake's modules and the test's own libraries.
   * Libraries the jar carries relocated stay, as on a real Spark: the jar's classes cannot see
   * them under their new names.
   */
  private static String sparkClassPath() throws IOException {
    Set<String> shaded = new HashSet<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      jar.stream().map(JarEntry::getName).forEach(shaded::add);
    }
    List<String> keep = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String unix = entry.replace(File.separatorChar, '/');
      boolean ours = unix.contains("/io/neuralake/") || unix.endsWith("/target/classes")
          || unix.endsWith("/target/test-classes") || unix.contains("/neuralake-");
      boolean testOnly = unix.contains("/org/junit/") || unix.contains("/org/assertj/")
          || unix.contains("/io/trino/tpch/") || unix.contains("/surefire") || unix.contains("/failsafe");
      if (!ours && !testOnly && !carried(Path.of(entry), shaded)) {
        keep.add(entry);
      }
    }
    return String.join(File.pathSeparator, keep);
  }

  /** Whether the shaded jar has a class of this library, under the same name. */
  private static boolean carried(Path library, Set<String> shaded) throws IOException {
    if (!Files.isRegularFile(library)) {
      return false;
    }
    try (JarFile jar = new JarFile(library.toFile())) {
      return jar.stream().map(JarEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
          .findFirst().map(shaded::contains).orElse(false);
    }
  }

  /** A tiny application that runs its arguments as SQL and prints each statement's rows, numbered. */
  private static Path sqlRunnerJar(Path dir) throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("SqlRunner.java"), """
        import org.apache.spark.sql.Row;
        import org.apache.spark.sql.SparkSession;
        import java.util.ArrayList;
        import java.util.List;

        public final class SqlRunner {
          public static void main(String[] args) {
            SparkSession spark = SparkSession.builder().getOrCreate();
            for (int s = 0; s < args.length; s++) {
              List<String> lines = new ArrayList<>();
              for (Row r : spark.sql(args[s]).collectAsList()) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < r.length(); i++) {
                  values.add(String.valueOf(r.get(i)));
                }
                lines.add((s + 1) + ": " + String.join(" | ", values));
              }
              lines.sort(null);
              lines.forEach(System.out::println);
            }
            spark.stop();
          }
        }
        """);
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", sparkClassPath(),
        src.resolve("SqlRunner.java").toString());
    assertThat(rc).isZero();
    Path jar = dir.resolve("sql-runner.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
      jos.putNextEntry(new JarEntry("SqlRunner.class"));
      jos.write(Files.readAllBytes(classes.resolve("SqlRunner.class")));
      jos.closeEntry();
    }
    return jar;
  }
}
