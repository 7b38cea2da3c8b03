package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.storage.StoreMetrics;
import io.neuralake.table.LakeContext;
import io.neuralake.table.Partition;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.testing.S3ProxyServer;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads of one partition among thousands: a hive-partitioned Parquet lake ({@code
 * implant_id=<i>/date=<d>/}, one small file per partition) and a Delta table of the same rows,
 * queried for one partition, one day across implants and a range of days of one implant, by
 * Neuralake (SQL over a catalog), bare DuckDB ({@code read_parquet} with {@code hive_partitioning})
 * and Spark (partition discovery). The question: does a one-partition read stay flat as the lake
 * grows? Runs in one process, systems interleaved run by run.
 */
final class LakeBench {
  private LakeBench() {}

  static final int ROWS_PER_PARTITION = 8;
  static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);

  /** Implants × days for a partition count: the most square split (100 → 10×10, 10,000 → 100×100). */
  record Layout(int implants, int days) {
    static Layout of(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
      }
      int implants = 1;
      for (int i = 1; (long) i * i <= partitions; i++) {
        if (partitions % i == 0) {
          implants = i;
        }
      }
      return new Layout(implants, partitions / implants);
    }

    int partitions() {
      return implants * days;
    }

    String day(int d) {
      return FIRST_DAY.plusDays(d).toString();
    }

    /** The partition the queries pick: one in the middle, so no listing order favours it. */
    int implant() {
      return implants / 2;
    }

    int dayIndex() {
      return days / 2;
    }

    /** The three queries, as SQL over a table called {@code t}. */
    Map<String, String> queries() {
      int to = Math.min(days - 1, dayIndex() + 6);
      Map<String, String> q = new LinkedHashMap<>();
      q.put("one-partition", "SELECT count(*) AS n, sum(v) AS s FROM t WHERE implant_id = " + implant()
          + " AND date = '" + day(dayIndex()) + "'");
      q.put("one-day", "SELECT count(*) AS n, sum(v) AS s FROM t WHERE date = '" + day(dayIndex()) + "'");
      q.put("day-range", "SELECT count(*) AS n, sum(v) AS s FROM t WHERE implant_id = " + implant()
          + " AND date >= '" + day(dayIndex()) + "' AND date <= '" + day(to) + "'");
      return q;
    }
  }

  /** The stores a run covers: local, s3, or both. */
  static List<String> stores(String option) {
    List<String> out = new ArrayList<>();
    for (String s : option.split(",")) {
      String t = s.trim();
      if (!t.equals("local") && !t.equals("s3")) {
        throw new IllegalArgumentException("--store " + t + " is not a store; use local, s3 or local,s3");
      }
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  record Figure(String store, int partitions, String system, String query, double medianMillis, String lists,
      String gets, String answer) {}

  /** Writes the lake of one size once (DuckDB's partitioned COPY, then our Delta writer) and keeps it. */
  static Path ensure(Path dataRoot, Layout layout) throws Exception {
    Path work = dataRoot.toAbsolutePath().resolve("lake-" + layout.partitions());
    if (Files.exists(work.resolve("_COMPLETE"))) {
      return work;
    }
    System.err.println("writing a lake of " + layout.partitions() + " partitions (" + layout.implants() + " implants × "
        + layout.days() + " days) under " + work + " ...");
    if (Files.exists(work)) {
      delete(work);
    }
    Path parquet = work.resolve("parquet");
    Files.createDirectories(work);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("COPY (SELECT (p // " + layout.days() + ")::BIGINT AS implant_id,"
          + " strftime(DATE '" + FIRST_DAY + "' + (p % " + layout.days() + ")::INTEGER, '%Y-%m-%d') AS date,"
          + " r::BIGINT AS t, (p * 1000 + r)::DOUBLE AS v"
          + " FROM range(" + layout.partitions() + ") a(p), range(" + ROWS_PER_PARTITION + ") b(r))"
          + " TO '" + parquet + "' (FORMAT parquet, PARTITION_BY (implant_id, date))");
    }
    DeltaTable delta = DeltaTable.builder("t", work.resolve("delta").toString()).partitionedBy("implant_id", "date")
        .schema(Schema.of(Field.of("implant_id", DataType.INT64), Field.of("date", DataType.STRING),
            Field.of("t", DataType.INT64), Field.of("v", DataType.FLOAT64))).build();
    delta.create(LakeContext.defaults());
    // the same rows as the Parquet lake, from memory: a frame over 10,000 tiny files is a slow source
    delta.append(Frame.fromColumns(rows(layout))).context(LakeContext.defaults()).commit();
    Files.writeString(work.resolve("_COMPLETE"), "");
    return work;
  }

  /** The lake's rows by column, as the COPY above writes them. */
  static Map<String, List<?>> rows(Layout layout) {
    List<Long> implant = new ArrayList<>();
    List<String> date = new ArrayList<>();
    List<Long> t = new ArrayList<>();
    List<Double> v = new ArrayList<>();
    for (int p = 0; p < layout.partitions(); p++) {
      for (int r = 0; r < ROWS_PER_PARTITION; r++) {
        implant.add((long) (p / layout.days()));
        date.add(layout.day(p % layout.days()));
        t.add((long) r);
        v.add(p * 1000.0 + r);
      }
    }
    Map<String, List<?>> columns = new LinkedHashMap<>();
    columns.put("implant_id", implant);
    columns.put("date", date);
    columns.put("t", t);
    columns.put("v", v);
    return columns;
  }

  static ParquetTable parquetTable(String uri) {
    return ParquetTable.builder("t", uri).partitioning(PartitioningScheme.HIVE,
        Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING)).build();
  }

  /** Uploads the lake to the S3Proxy once (its file system backend keeps it), in parallel. */
  static void upload(S3ProxyServer server, Path work, String prefix) throws Exception {
    Path marker = work.resolve("_UPLOADED_" + prefix.replaceAll("[^A-Za-z0-9]", "_"));
    if (Files.exists(marker)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(work)) {
      files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("_UPLOADED_")
          && !p.getFileName().toString().equals("_COMPLETE")).toList();
    }
    System.err.println("uploading " + files.size() + " files to " + prefix + " ...");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (S3ObjectStore store = new S3ObjectStore(server.clientOptions(),
        new FileCache(Files.createTempDirectory("bench-upload"), 1L << 30, Duration.ZERO))) {
      List<Future<?>> done = new ArrayList<>();
      for (Path f : files) {
        done.add(pool.submit(() -> {
          store.putFile(Location.parse(prefix + "/" + work.relativize(f).toString().replace('\\', '/')), f);
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get();
      }
    } finally {
      pool.shutdown();
    }
    Files.writeString(marker, "");
  }

  static String run(Path dataRoot, List<Integer> sizes, List<String> stores, int runs, int threads) throws Exception {
    int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    List<Figure> figures = new ArrayList<>();
    String duckHttpfs = duckDbHttpfs();
    S3ProxyServer server = null;
    SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("neuralake-bench-lake")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = duck.createStatement()) {
        s.execute("SET threads = " + cores);
      }
      if (stores.contains("s3")) {
        String key = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        server = S3ProxyServer.start(S3ProxyServer.findJar(), dataRoot.toAbsolutePath().resolve("s3proxy"), 0, key,
            secret);
        server.createBucket("bench");
        useS3Proxy(spark, server.endpoint().toString(), key, secret);
      }
      for (int size : sizes) {
        Layout layout = Layout.of(size);
        Path work = ensure(dataRoot, layout);
        for (String store : stores) {
          String root = store.equals("local") ? work.toString() : "s3://bench/lake-" + layout.partitions();
          if (store.equals("s3")) {
            upload(server, work, root);
          }
          figures.addAll(measure(store, root, work, layout, runs, server, duck, spark));
        }
      }
    } finally {
      spark.stop();
      if (server != null) {
        server.close();
      }
    }
    return markdown(figures, runs, duckHttpfs);
  }

  private static List<Figure> measure(String store, String root, Path work, Layout layout, int runs,
      S3ProxyServer server, Connection duck, SparkSession spark) throws Exception {
    boolean s3 = store.equals("s3");
    List<Figure> out = new ArrayList<>();
    for (Map.Entry<String, String> q : layout.queries().entrySet()) {
      Map<String, List<Double>> times = new LinkedHashMap<>();
      Map<String, long[]> requests = new LinkedHashMap<>();
      Map<String, String> answers = new LinkedHashMap<>();
      List<String> systems = new ArrayList<>(List.of("neuralake-parquet", "neuralake-delta"));
      if (!s3) {
        systems.add("duckdb"); // its httpfs is not built in, and cannot be downloaded here
      }
      systems.add("spark");
      systems.add("spark-neuralake");
      for (int run = -1; run < runs; run++) { // run -1: warm-up, answers compared
        for (int i = 0; i < systems.size(); i++) {
          String system = systems.get((i + Math.max(run, 0)) % systems.size());
          long[] req = new long[2];
          long start = System.nanoTime();
          String answer = switch (system) {
            case "neuralake-parquet", "neuralake-delta" -> neuralake(system.endsWith("delta"), root, s3, server, q.getValue(), req);
            case "duckdb" -> duckdb(duck, work.resolve("parquet"), q.getValue());
            case "spark-neuralake" -> sparkNeuralake(spark, root, q.getValue());
            default -> spark(spark, s3 ? root.replace("s3://", "s3a://") + "/parquet" : work.resolve("parquet").toString(),
                q.getValue());
          };
          double ms = (System.nanoTime() - start) / 1e6;
          if (run < 0) {
            answers.put(system, answer);
          } else {
            times.computeIfAbsent(system, k -> new ArrayList<>()).add(ms);
            requests.put(system, req);
          }
        }
      }
      String expected = (ROWS_PER_PARTITION * (q.getKey().equals("one-day") ? layout.implants()
          : q.getKey().equals("one-partition") ? 1 : Math.min(7, layout.days() - layout.dayIndex()))) + "";
      for (String system : systems) {
        String answer = answers.get(system);
        if (!answer.startsWith(expected + ",")) {
          throw new IllegalStateException(system + " on " + store + " answered " + answer + " to " + q.getKey()
              + "; expected " + expected + " rows");
        }
        if (!answer.equals(answers.get(systems.get(0)))) {
          throw new IllegalStateException(system + " answered " + answer + " to " + q.getKey() + ", "
              + systems.get(0) + " " + answers.get(systems.get(0)));
        }
        List<Double> t = times.get(system);
        t.sort(Double::compare);
        long[] req = requests.get(system);
        boolean counted = s3 && system.startsWith("neuralake");
        out.add(new Figure(store, layout.partitions(), system, q.getKey(), t.get(t.size() / 2),
            counted ? Long.toString(req[0]) : "–", counted ? Long.toString(req[1]) : "–", answer));
      }
      System.err.println(store + " " + layout.partitions() + " " + q.getKey() + " done");
    }
    return out;
  }

  /**
   * One query through a catalog as a user builds it. On S3 cold: a new storage, cache folder and
   * Delta log cache each run, so every LIST and GET the query needs is counted; on local disk the
   * listing is not cached either (its TTL is 0 for local folders).
   */
  private static String neuralake(boolean delta, String root, boolean s3, S3ProxyServer server, String sql,
      long[] requests) throws Exception {
    Path cacheDir = Files.createTempDirectory("bench-lake-cache");
    DeltaTable.clearCaches();
    Storage.Builder storage = Storage.builder().cache(new FileCache(cacheDir, 10L << 30, Duration.ZERO));
    if (s3) {
      storage.s3(server.clientOptions());
    }
    Storage st = storage.build();
    try {
      var table = delta ? DeltaTable.builder("t", root + "/delta").build() : parquetTable(root + "/parquet");
      Catalog catalog = Catalog.builder("bench").root(root).storage(st).engine(Engine.shared())
          .database("lake", table).build();
      String answer;
      try (DataFrame df = catalog.sql(sql.replace("FROM t", "FROM lake.t")).collect()) {
        answer = df.rows().stream().map(r -> r.values().stream().map(Answer::cell).reduce((a, b) -> a + "," + b)
            .orElse("")).findFirst().orElse("");
      }
      if (s3) {
        StoreMetrics m = ((S3ObjectStore) st.storeFor(Location.parse("s3://bench/"))).metrics();
        requests[0] = m.listCalls();
        requests[1] = m.gets();
      }
      return answer;
    } finally {
      st.close();
      delete(cacheDir);
    }
  }

  private static String duckdb(Connection duck, Path parquet, String sql) throws Exception {
    String from = "read_parquet('" + parquet + "/*/*/*.parquet', hive_partitioning = true)";
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql.replace("FROM t", "FROM " + from))) {
      rs.next();
      return Answer.cell(rs.getObject(1)) + "," + Answer.cell(rs.getObject(2));
    }
  }

  /**
   * Spark's s3a file system on the S3Proxy, as a Spark job on S3 is configured (path-style, plain
   * HTTP on loopback). Its listings are not cached between queries: each query's partition
   * discovery lists the lake anew, as a new job does.
   */
  private static void useS3Proxy(SparkSession spark, String endpoint, String accessKey, String secretKey) {
    var conf = spark.sparkContext().hadoopConfiguration();
    conf.set("fs.s3a.endpoint", endpoint);
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.connection.ssl.enabled", "false");
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", accessKey);
    conf.set("fs.s3a.secret.key", secretKey);
    // the connector's catalog source reads its S3 options from these (set for this run, never in code)
    System.setProperty("neuralake.bench.s3.endpoint", endpoint);
    System.setProperty("neuralake.bench.s3.access-key", accessKey);
    System.setProperty("neuralake.bench.s3.secret-key", secretKey);
  }

  /** A new DataFrame per query, as a job reading the lake does: partition discovery included. */
  private static String spark(SparkSession spark, String parquet, String sql) {
    spark.read().parquet(parquet).createOrReplaceTempView("t");
    Row r = spark.sql(sql).collectAsList().get(0);
    return Answer.cell(r.get(0)) + "," + Answer.cell(r.get(1));
  }

  /**
   * The same query in Spark through the Neuralake connector, on the same Parquet lake declared as
   * the Neuralake systems declare it: Neuralake plans on the driver (folders pruned by the URI
   * prefix, listing not cached for local folders), Spark runs the tasks. A catalog per lake,
   * registered in the session when first used.
   */
  private static String sparkNeuralake(SparkSession spark, String root, String sql) throws IOException {
    String name = "lake" + Integer.toHexString(root.hashCode());
    String option = "spark.sql.catalog." + name;
    if (!spark.conf().contains(option)) {
      Path source = Files.createTempDirectory("bench-lake-catalog");
      // on S3, the table's S3 options come from the run's S3Proxy, through system properties (see useS3Proxy)
      String s3 = !root.startsWith("s3://") ? "" : """
          .s3(io.neuralake.storage.S3Options.builder().endpoint(System.getProperty("neuralake.bench.s3.endpoint"))
              .credentials(System.getProperty("neuralake.bench.s3.access-key"),
                  System.getProperty("neuralake.bench.s3.secret-key"))
              .allowHttp(true).region("us-east-1").build())""";
      Files.writeString(source.resolve("BenchLake.java"), """
          import io.neuralake.catalog.Catalog;
          import io.neuralake.table.ParquetTable;
          import io.neuralake.table.Partition;
          import io.neuralake.table.PartitioningScheme;
          import io.neuralake.types.DataType;
          import java.util.List;

          public final class BenchLake {
            public static Catalog catalog() {
              return Catalog.builder("bench").root("%s").database("lake", "The bench's lake.", List.of(
                  ParquetTable.builder("t", "parquet").partitioning(PartitioningScheme.HIVE,
                      Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))%s.build()))
                  .build();
            }
          }
          """.formatted(root.replace("\\", "\\\\"), s3));
      spark.conf().set(option, "io.neuralake.spark.NeuralakeCatalog");
      spark.conf().set(option + ".catalog", source.toString());
    }
    Row r = spark.sql(sql.replace("FROM t", "FROM " + name + ".lake.t")).collectAsList().get(0);
    return Answer.cell(r.get(0)) + "," + Answer.cell(r.get(1));
  }

  /** Whether the bundled DuckDB has httpfs built in (it cannot download extensions here). */
  static String duckDbHttpfs() {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT installed, loaded FROM duckdb_extensions() WHERE extension_name = 'httpfs'")) {
      if (rs.next() && (rs.getBoolean(1) || rs.getBoolean(2))) {
        return "installed";
      }
      return "not built into the bundled DuckDB";
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static String markdown(List<Figure> figures, int runs, String duckHttpfs) {
    StringBuilder md = new StringBuilder();
    md.append("Reads of one partition among thousands (hive-partitioned Parquet `implant_id=<i>/date=<d>/`, one file of ")
        .append(ROWS_PER_PARTITION).append(" rows per partition, and a Delta table of the same rows; median of ")
        .append(runs).append(" runs, each Neuralake run with a new catalog, storage and empty cache; ")
        .append(Report.machine()).append("). LIST/GET: requests one run made to S3Proxy.\n\n")
        .append("DuckDB httpfs: ").append(duckHttpfs).append(", so DuckDB runs on local disk only. Spark reads")
        .append(" S3Proxy through s3a (hadoop-aws); spark-neuralake is Spark reading the same Parquet lake through")
        .append(" the Neuralake connector (Neuralake plans on the driver, through its S3 store on S3).\n\n")
        .append("| store | partitions | query | system | median (ms) | LIST | GET | answer (rows, sum) |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (Figure f : figures) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.1f | %s | %s | %s |%n", f.store(), f.partitions(),
          f.query(), f.system(), f.medianMillis(), f.lists(), f.gets(), f.answer()));
    }
    return md.toString();
  }

  private static void delete(Path folder) throws Exception {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
