package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.storage.Location;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.testing.LocalS3;
import io.neuralake.testing.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster: a master and two workers started from Spark's own classes, each in
 * its own JVM, the workers launching executors in JVMs of their own; the driver is spark-submit
 * with the connector's jar. The lake is in an S3Proxy bucket, so the driver's planning and the
 * executors' reads all go through Neuralake's S3 store (credentials from the environment, as in
 * production). Proves the work is distributed (both workers' executors ran tasks) and the answers
 * equal the embedded engine's over the same files.
 */
class SparkClusterIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final List<Process> CLUSTER = new ArrayList<>();
  private static Path work;
  private static Map<String, String> env;
  private static Path catalog;
  private static int masterPort;

  @BeforeAll
  static void startTheClusterOnALakeInS3() throws Exception {
    assertThat(SparkProcesses.JAR).as("built by `package`").isRegularFile();
    work = Files.createTempDirectory("spark-cluster-it");
    S3ProxyServer s3 = LocalS3.server();
    String bucket = LocalS3.newBucket();
    upload(bucket);
    catalog = SparkTestLake.writeCatalog(work.resolve("catalog"), "s3://" + bucket + "/lake", false);

    env = new HashMap<>();
    env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
    env.put("AWS_ALLOW_HTTP", "true");
    env.put("AWS_REGION", "us-east-1");
    // every Spark server (RPC and web UI) on loopback only
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_HOME", sparkHome().toString());
    // a distribution's launcher finds its Scala version from its build folders; this home has none
    env.put("SPARK_SCALA_VERSION", "2.13");

    masterPort = freePort();
    Path masterLog = work.resolve("master.log");
    CLUSTER.add(start(masterLog, SparkProcesses.java("512m", "org.apache.spark.deploy.master.Master"),
        "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())));
    for (int i = 1; i <= 2; i++) {
      CLUSTER.add(start(work.resolve("worker-" + i + ".log"), SparkProcesses.java("512m", "org.apache.spark.deploy.worker.Worker"),
          "--host", "127.0.0.1", "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory", "1g",
          "--work-dir", work.resolve("worker-" + i).toString(), "spark://127.0.0.1:" + masterPort));
    }
    Instant deadline = Instant.now().plus(START);
    while (registeredWorkers(masterLog) < 2) {
      assertThat(Instant.now()).as("two workers registered with the master; its log:\n" + Files.readString(masterLog))
          .isBefore(deadline);
      Thread.sleep(250);
    }
  }

  @AfterAll
  static void stopTheCluster() throws InterruptedException {
    for (Process p : CLUSTER.reversed()) {
      p.destroy();
    }
    for (Process p : CLUSTER) {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void queriesRunInExecutorsOnBothWorkersAndAnswerAsTheEmbeddedEngine() throws Exception {
    String byDay = "SELECT date, count(*) AS n, CAST(sum(spike_count) AS BIGINT) AS s FROM %s.bci.spikes GROUP BY date";
    String implant = "SELECT implant_id, count(*) AS n FROM %s.bci.spikes WHERE implant_id = 4595 GROUP BY implant_id";
    String orders = "SELECT o_region, count(*) AS n, sum(o_total) AS total FROM %s.shop.orders GROUP BY o_region";
    List<String> out = SparkProcesses.submit(work, catalog, List.of(
        "--master", "spark://127.0.0.1:" + masterPort,
        "--conf", "spark.cores.max=2",
        "--conf", "spark.executor.cores=1",
        "--conf", "spark.executor.memory=1g",
        "--conf", "spark.executor.extraJavaOptions=" + SparkProcesses.neuralakeFlags(),
        // start only when both executors are there, and hand tasks to whichever is free
        "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
        "--conf", "spark.locality.wait=0"),
        env, byDay.formatted("lake"), implant.formatted("lake"), orders.formatted("lake"));

    var embedded = SparkTestLake.catalog(); // the same files, on local disk
    List<String> expected = new ArrayList<>();
    SparkTestLake.lakeRows(embedded.sql(byDay.formatted("").replace(" .bci", " bci"))).forEach(r -> expected.add("1: " + r));
    SparkTestLake.lakeRows(embedded.sql(implant.formatted("").replace(" .bci", " bci"))).forEach(r -> expected.add("2: " + r));
    SparkTestLake.lakeRows(embedded.sql(orders.formatted("").replace(" .shop", " shop"))).forEach(r -> expected.add("3: " + r));
    assertThat(out).isNotEmpty().containsExactlyElementsOf(expected);

    for (int i = 1; i <= 2; i++) {
      assertThat(tasksRun(work.resolve("worker-" + i))).as("tasks run by the executor of worker " + i).isPositive();
    }
  }

  /** The lake's Parquet and Delta tables, uploaded as they are on disk. */
  private static void upload(String bucket) throws IOException {
    Path root = SparkTestLake.root();
    try (S3ObjectStore store = LocalS3.store(Files.createTempDirectory("spark-cluster-upload"))) {
      for (String table : List.of("spikes", "orders")) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root.resolve(table))) {
          files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
          String key = root.relativize(f).toString().replace('\\', '/');
          store.putFile(Location.parse("s3://" + bucket + "/lake/" + key), f);
        }
      }
    }
  }

  /** A Spark home for the workers, which build executors' class path from its {@code jars} folder. */
  private static Path sparkHome() throws IOException {
    Path jars = Files.createDirectories(work.resolve("spark-home").resolve("jars"));
    for (String entry : SparkProcesses.sparkClassPath().split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !Files.exists(jars.resolve(jar.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
      }
    }
    return jars.getParent();
  }

  private static Process start(Path log, List<String> command, String... args) throws IOException {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static int registeredWorkers(Path masterLog) throws IOException {
    return (int) Files.readAllLines(masterLog).stream().filter(l -> l.contains("Registering worker")).count();
  }

  /** Tasks the executors a worker launched report having run, from their logs. */
  private static long tasksRun(Path workerDir) throws IOException {
    if (!Files.isDirectory(workerDir)) {
      return 0;
    }
    try (Stream<Path> logs = Files.walk(workerDir)) {
      long n = 0;
      for (Path log : logs.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
        n += Files.readAllLines(log).stream().filter(l -> l.contains("Running task")).count();
      }
      return n;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
