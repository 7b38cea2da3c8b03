package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.site.CatalogExport;
import io.neuralake.site.SiteGenerator;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.table.TableDefinition;
import io.neuralake.testing.Browser;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The catalog site at catalog scale: a generated catalog of many Parquet tables (declared schemas with described
 * columns, two partition columns, docs filters; one small file per table), exported and written as a site. Reports
 * the generation's wall and CPU time, the search index's size, and how fast headless Chromium shows a table's page
 * from file:// (navigation timing). No table's rows are read: schemas are declared, details come from listings.
 */
final class SiteBench {
  private static final int COLUMNS = 12;

  private SiteBench() {}

  static String run(Path dataRoot, int tables, int perDatabase, int runs, int loads) throws Exception {
    Path lake = dataRoot.toAbsolutePath().resolve("site-" + tables);
    if (!Files.exists(lake.resolve("_COMPLETE"))) {
      System.err.println("writing one small Parquet file for each of " + tables + " tables under " + lake + " ...");
      writeFiles(lake, tables);
      Files.writeString(lake.resolve("_COMPLETE"), "");
    }
    Path out = Files.createTempDirectory("neuralake-site-bench");
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Path> written = List.of();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (LakeRuntime runtime = LakeRuntime.builder().root(lake.toString())
        .cacheFolder(out.resolve("cache")).build()) {
      for (int run = 0; run <= runs; run++) { // run 0 warms the JVM
        Catalog catalog = catalog(runtime, tables, perDatabase);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        CatalogExport export = CatalogExport.of(catalog, "catalog/");
        if (!export.problems().isEmpty()) {
          throw new IllegalStateException("the export met problems: " + export.problems().subList(0, 1));
        }
        written = SiteGenerator.of(export).write(out.resolve("site"), line -> { });
        if (run > 0) {
          wall.add((System.nanoTime() - t0) / 1e6);
          cpu.add((os.getProcessCpuTime() - cpu0) / 1e6);
        }
      }
    }
    Path site = out.resolve("site");
    long indexBytes = Files.size(site.resolve("search-index.js"));
    long siteBytes = 0;
    for (Path p : written) {
      siteBytes += Files.size(site.resolve(p));
    }
    Path tablePage = site.resolve(written.stream().filter(p -> p.toString().endsWith(".html")
        && p.getNameCount() == 3).findFirst().orElseThrow());
    List<Double> tableLoads = pageLoads(tablePage, loads);
    List<Double> indexLoads = pageLoads(site.resolve("index.html"), loads);
    StringBuilder md = new StringBuilder();
    md.append("# Catalog site at scale\n\n")
        .append(String.format(Locale.ROOT, "%d tables (%d per database, %d columns each, Parquet with declared"
            + " schemas, two partition columns, docs filters); %d files written, %.1f MB.%n%n",
            tables, perDatabase, COLUMNS, written.size(), siteBytes / 1e6))
        .append("| measure | median | min | max |\n|---|---|---|---|\n")
        .append(row("export + site generation, wall (ms)", wall))
        .append(row("export + site generation, CPU of the process (ms)", cpu))
        .append(row("a table page from file://, DOMContentLoaded (ms)", tableLoads))
        .append(row("the index page from file://, DOMContentLoaded (ms)", indexLoads))
        .append(String.format(Locale.ROOT, "%nSearch index (search-index.js): %.0f KB.%n", indexBytes / 1e3))
        .append(String.format(Locale.ROOT, "Goals: generation <= 10 s (%s), search index <= 1 MB (%s), a table's"
            + " first page <= 200 ms (%s).%n", median(wall) <= 10_000 ? "met" : "missed",
            indexBytes <= 1_000_000 ? "met" : "missed", median(tableLoads) <= 200 ? "met" : "missed"));
    deleteTree(out);
    return md.toString();
  }

  /** A catalog of {@code tables} Parquet tables over the lake's folders, {@code perDatabase} to a database. */
  static Catalog catalog(LakeRuntime runtime, int tables, int perDatabase) {
    Catalog.Builder b = Catalog.builder("bench").runtime(runtime);
    List<TableDefinition> db = new ArrayList<>();
    for (int i = 0; i < tables; i++) {
      List<Field> fields = new ArrayList<>();
      fields.add(new Field("ts", DataType.TIMESTAMP, false, "When the sample was taken."));
      for (int c = 1; c < COLUMNS - 2; c++) {
        fields.add(new Field("signal_" + c, c % 3 == 0 ? DataType.INT64 : DataType.FLOAT64, true,
            "Signal " + c + " of channel group " + (i % 17) + ", in microvolts."));
      }
      fields.add(new Field("region", DataType.STRING, false, "Brain region."));
      fields.add(new Field("day", DataType.STRING, false, "Day of the session."));
      db.add(ParquetTable.builder(tableName(i), tableName(i))
          .description("Telemetry table " + i + ": signals sampled per channel group, written daily.")
          .schema(Schema.of(fields.toArray(Field[]::new)))
          .partitioning(PartitioningScheme.HIVE, Partition.of("region", DataType.STRING),
              Partition.of("day", DataType.STRING))
          .docsFilters(Filter.eq("region", "motor"), Filter.eq("day", "2024-04-28"))
          .build());
      if (db.size() == perDatabase || i == tables - 1) {
        b.database(String.format(Locale.ROOT, "db%03d", i / perDatabase), "Generated database " + i / perDatabase
            + ".", List.copyOf(db));
        db.clear();
      }
    }
    return b.build();
  }

  private static String tableName(int i) {
    return String.format(Locale.ROOT, "telemetry_%04d", i);
  }

  private static void writeFiles(Path lake, int tables) throws Exception {
    Files.createDirectories(lake);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      StringBuilder cols = new StringBuilder("TIMESTAMP '2024-04-28 10:00:00' + to_seconds(i) AS ts");
      for (int col = 1; col < COLUMNS - 2; col++) {
        cols.append(col % 3 == 0 ? ", i::BIGINT" : ", i * 0.5").append(" AS signal_").append(col);
      }
      for (int i = 0; i < tables; i++) {
        Path dir = lake.resolve(tableName(i)).resolve("region=motor").resolve("day=2024-04-28");
        Files.createDirectories(dir);
        s.execute("COPY (SELECT " + cols + " FROM range(10) t(i)) TO '" + dir.resolve("part-0.parquet")
            + "' (FORMAT parquet)");
      }
    }
  }

  /** DOMContentLoaded of {@code page} over {@code loads} fresh loads (the first warms the browser's process). */
  private static List<Double> pageLoads(Path page, int loads) {
    ChromeDriver driver = Browser.start(1280, 900);
    try {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i <= loads; i++) {
        driver.get("about:blank");
        driver.get(page.toUri().toString());
        Object t = ((JavascriptExecutor) driver).executeScript(
            "const n = performance.getEntriesByType('navigation')[0]; return n.domContentLoadedEventEnd - n.startTime;");
        if (i > 0) {
          out.add(((Number) t).doubleValue());
        }
      }
      return out;
    } finally {
      driver.quit();
    }
  }

  private static String row(String name, List<Double> values) {
    return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", name, median(values),
        values.stream().mapToDouble(d -> d).min().orElse(0), values.stream().mapToDouble(d -> d).max().orElse(0));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
