package io.neuralake.spark;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.delta.DeltaTable;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.sample.SampleLake;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.testing.CountingStore;
import io.neuralake.engine.Engine;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One lake and one Spark session (local[2], loopback, no UI) for the connector's tests: the sample
 * lake's hive-partitioned spikes (9 files), a Delta table of orders partitioned by region written
 * by Neuralake's Delta writer (2 commits), and a function table; the catalog is a folder of .java
 * sources that Spark's catalog option names, as a user's would be. Reads go through {@link #STORE},
 * which counts the files executors open.
 */
public final class SparkTestLake {
  /** The local store of the test catalog (its catalog source names it), counting what is opened. */
  public static final CountingStore STORE = new CountingStore();

  private static Path root;
  private static Path catalogSources;
  private static SparkSession spark;

  private SparkTestLake() {}

  public static synchronized Path root() {
    if (root == null) {
      try {
        root = Files.createTempDirectory("neuralake-spark-lake");
        SampleLake.create(root);
        writeOrders(root);
        catalogSources = writeCatalog(root.resolve("catalog"), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /**
   * Writes the catalog's sources into {@code folder}: with {@code counting}, reads go through
   * {@link #STORE} (a test class: the test JVM only); without, through the runtime's stores, as a
   * user's catalog would, for a Spark that has only the connector's jar.
   */
  public static Path writeCatalog(Path folder, boolean counting) throws IOException {
    return writeCatalog(folder, root().toString(), counting);
  }

  /** {@link #writeCatalog(Path, boolean)} with the lake at {@code rootUri} (a folder, or {@code s3://bucket/prefix}). */
  public static Path writeCatalog(Path folder, String rootUri, boolean counting) throws IOException {
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("TestLake.java"), catalogSource(rootUri, counting));
    Files.writeString(folder.resolve("Functions.java"), FUNCTIONS);
    return folder;
  }

  /** The folder of catalog sources given to Spark. */
  public static Path catalogSources() {
    root();
    return catalogSources;
  }

  /** The same catalog as Spark's, loaded here: the embedded engine's answers to compare with. */
  public static Catalog catalog() {
    return CatalogLoader.load(catalogSources().toString());
  }

  public static synchronized SparkSession spark() {
    if (spark == null) {
      Path warehouse = root().resolve("spark-warehouse");
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("neuralake-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.sql.warehouse.dir", warehouse.toString())
          // delta-spark, as the oracle of Delta reads (path-based tables: delta.`/path`)
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.sql.catalog.lake", NeuralakeCatalog.class.getName())
          .config("spark.sql.catalog.lake.catalog", catalogSources().toString())
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }

  /** Spark's rows of a query, each as text, sorted. */
  public static List<String> sparkRows(String sql) {
    List<String> out = new ArrayList<>();
    for (Row r : spark().sql(sql).collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        values.add(r.get(i));
      }
      out.add(row(values));
    }
    out.sort(null);
    return out;
  }

  /** The embedded engine's rows of a frame, each as text, sorted. */
  public static List<String> lakeRows(Frame frame) {
    List<String> out = new ArrayList<>();
    try (DataFrame df = frame.collect()) {
      for (Map<String, Object> r : df.rows()) {
        out.add(row(new ArrayList<>(r.values())));
      }
    }
    out.sort(null);
    return out;
  }

  private static String row(List<Object> values) {
    return values.stream().map(v -> v instanceof java.sql.Date d ? d.toLocalDate().toString() : String.valueOf(v))
        .collect(Collectors.joining(" | "));
  }

  /** Orders in two commits: 600 in eu and us, then 300 in apac (a Delta table partitioned by region). */
  private static void writeOrders(Path root) {
    DeltaTable orders = DeltaTable.builder("orders", "orders").schema(Schema.of(
        Field.required("o_orderkey", DataType.INT64), Field.of("o_orderdate", DataType.DATE),
        Field.of("o_region", DataType.STRING), Field.of("o_total", DataType.FLOAT64))).partitionedBy("o_region").build();
    LakeContext context = new LakeContext(Location.parse(root.toString()), Storage.builder().store("file",
        new CountingStore()).build(), Engine.shared());
    orders.create(context);
    orders.append(orders(0, 600, List.of("eu", "us"))).context(context).commit();
    orders.append(orders(600, 900, List.of("apac"))).context(context).commit();
  }

  private static Frame orders(long from, long to, List<String> regions) {
    Map<String, List<?>> cols = new LinkedHashMap<>();
    List<Long> keys = new ArrayList<>();
    List<LocalDate> dates = new ArrayList<>();
    List<String> region = new ArrayList<>();
    List<Double> totals = new ArrayList<>();
    for (long k = from; k < to; k++) {
      keys.add(k);
      dates.add(LocalDate.of(2024, 1, 1).plusDays(k % 30));
      region.add(regions.get((int) (k % regions.size())));
      totals.add(k * 1.25);
    }
    cols.put("o_orderkey", keys);
    cols.put("o_orderdate", dates);
    cols.put("o_region", region);
    cols.put("o_total", totals);
    return Frame.fromColumns(cols);
  }

  private static String catalogSource(String root, boolean counting) {
    return """
        import io.neuralake.catalog.Catalog;
        import io.neuralake.delta.DeltaTable;
        import io.neuralake.storage.Storage;
        import io.neuralake.table.ParquetTable;
        import io.neuralake.table.Partition;
        import io.neuralake.table.PartitioningScheme;
        import io.neuralake.types.DataType;
        import java.util.List;

        public final class TestLake {
          public static final ParquetTable SPIKES = ParquetTable.builder("spikes", "spikes")
              .description("Binned spike counts per channel.")
              .dataInput("Implant telemetry.")
              .partitioning(PartitioningScheme.HIVE,
                  Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))
              .build();

          public static final DeltaTable ORDERS = DeltaTable.builder("orders", "orders")
              .description("Orders by region.")
              .partitionedBy("o_region")
              .build();

          /** Written by delta-spark in the tests that read it, with deletion vectors. */
          public static final DeltaTable EVENTS = DeltaTable.builder("events", "events")
              .description("Events written by delta-spark.")
              .build();

          /** Appended to by Spark jobs (INSERT INTO) and by Neuralake's own writers; created by the write tests. */
          public static final DeltaTable READINGS = DeltaTable.builder("readings", "readings")
              .description("Readings Spark jobs append to.")
              .schema(io.neuralake.types.Schema.of(
                  io.neuralake.types.Field.required("id", DataType.INT64),
                  io.neuralake.types.Field.of("site", DataType.STRING),
                  io.neuralake.types.Field.of("value", DataType.FLOAT64),
                  io.neuralake.types.Field.of("amount", DataType.decimal(10, 2)),
                  io.neuralake.types.Field.of("at", DataType.TIMESTAMP_TZ),
                  io.neuralake.types.Field.of("tags", DataType.list(DataType.STRING)),
                  io.neuralake.types.Field.of("day", DataType.DATE)))
              .partitionedBy("day")
              .check("value_not_negative", io.neuralake.frame.Expr.sql("value >= 0"))
              .build();

          public static Catalog catalog() {
            return Catalog.builder("lake")
                .root("%s")
%s
                .database("bci", "Brain-computer interface sessions.", List.of(SPIKES))
                .database("shop", "Orders.", List.of(ORDERS))
                .database("fn", Functions.class)
                .database("interop", "Tables other writers wrote.", List.of(EVENTS))
                .database("sink", "Tables Spark writes.", List.of(READINGS))
                .build();
          }
        }
        """.formatted(root.replace("\\", "\\\\"), counting
            ? "            .storage(Storage.builder().store(\"file\", io.neuralake.spark.SparkTestLake.STORE).build())"
            : "");
  }

  private static final String FUNCTIONS = """
      import io.neuralake.catalog.Table;
      import io.neuralake.frame.Expr;
      import io.neuralake.frame.Frame;
      import java.util.List;
      import java.util.Map;

      public final class Functions {
        @Table(description = "Regions and their names, computed.")
        public static Frame regions() {
          return Frame.fromRows(List.of(
              Map.of("code", "eu", "name", "Europe", "rank", 1L),
              Map.of("code", "us", "name", "United States", "rank", 2L),
              Map.of("code", "apac", "name", "Asia-Pacific", "rank", 3L)));
        }

        @Table(description = "Values of types Spark has no Arrow reader for, and nested ones.")
        public static Frame odd_types() {
          return Frame.fromRows(List.of(Map.of("n", 1L))).select(
              Expr.sql("CAST(200 AS UTINYINT)").as("u8"),
              Expr.sql("CAST(4000000000 AS UINTEGER)").as("u32"),
              Expr.sql("CAST(18446744073709551615 AS UBIGINT)").as("u64"),
              Expr.sql("TIME '12:34:56'").as("t"),
              Expr.sql("TIMESTAMPTZ '2024-04-28 12:00:00+00'").as("tz"),
              Expr.sql("[1, 2, 3]").as("xs"),
              Expr.sql("{'a': 1, 'b': 'x'}").as("s"),
              Expr.sql("MAP {'k': 2.5}").as("m"));
        }

        private Functions() {}
      }
      """;
}
