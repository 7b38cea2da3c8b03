package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Spark as its users start it, for the integration tests: JVMs of their own whose class path is
 * Spark's alone (the test's, less Neuralake and what the shaded jar carries), given the connector
 * with {@code --jars neuralake-spark.jar}.
 */
final class SparkProcesses {
  static final Path JAR = Path.of("target", "neuralake-spark.jar").toAbsolutePath();

  private SparkProcesses() {}

  /** {@code java} with the module flags Spark's launcher and Neuralake pass, Spark's class path, and {@code main}. */
  static List<String> java(String heap, String main) throws IOException {
    Properties flags = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("..", "bin", "jvm.properties"))) {
      flags.load(in);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(flags.getProperty("spark.jvm.opens").split(" ")));
    command.addAll(Arrays.asList(flags.getProperty("neuralake.jvm.opens").split(" ")));
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(sparkClassPath());
    command.add(main);
    return command;
  }

  /** Neuralake's JVM flags, for executors started by a cluster's workers. */
  static String neuralakeFlags() throws IOException {
    Properties flags = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("..", "bin", "jvm.properties"))) {
      flags.load(in);
    }
    return flags.getProperty("neuralake.jvm.opens");
  }

  /**
   * Runs SparkSubmit, as spark-sql's script does, with the README's options and {@code options}
   * (the master among them), in {@code env}; the statements' rows, numbered.
   */
  static List<String> submit(Path work, Path catalog, List<String> options, Map<String, String> env, String... statements)
      throws Exception {
    List<String> command = java("1g", "org.apache.spark.deploy.SparkSubmit");
    command.addAll(options);
    command.addAll(List.of(
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.sql.shuffle.partitions=2",
        "--jars", JAR.toString(),
        "--conf", "spark.sql.catalog.lake=io.neuralake.spark.NeuralakeCatalog",
        "--conf", "spark.sql.catalog.lake.catalog=" + catalog,
        "--class", "SqlRunner", sqlRunnerJar(work).toString()));
    command.addAll(List.of(statements));
    Path log = work.resolve("spark-submit.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
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
  static String sparkClassPath() throws IOException {
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
  static Path sqlRunnerJar(Path dir) throws IOException {
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
