package io.neuralake.cli;

import static io.neuralake.frame.Expr.col;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.StreamingWriter;
import io.neuralake.delta.WriteOptions;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.sample.SampleLake;
import io.neuralake.storage.Listing;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.table.ParquetTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The main job on the embedded local default: a sample lake in a folder, the example catalog
 * written as Java source beside it, and the seed's federated query.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Create a sample lake and catalog in a folder and run the seed's federated query.")
final class DemoCommand implements Callable<Integer> {
  /** The example catalog's sources, shipped in the jar from examples/demo. */
  static final List<String> CATALOG_SOURCES = List.of("Tpch.java", "Bci.java", "Clinic.java", "DemoCatalog.java");
  /** Written first into the folder: what the demo finds beside it is its own, from an earlier run. */
  static final String MARKER = ".neuralake-demo";
  /** What the demo writes in its folder besides the catalog (whose sources it keeps unless --reset). */
  static final List<String> DATA = List.of("parts.parquet", "parts-tmp", "spikes", "orders", ".staging-orders");

  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = {"-d", "--dir"}, defaultValue = "neuralake-demo",
      description = "Folder for the sample lake and catalog. Default: ${DEFAULT-VALUE}.")
  Path dir;

  @CommandLine.Option(names = "--reset", description = "Overwrite catalog sources you may have edited, and replace files"
      + " in the folder that the demo did not write (parts.parquet, spikes/, orders/), which it otherwise refuses to touch.")
  boolean reset;

  @CommandLine.Option(names = "--lake", paramLabel = "LOCATION",
      description = "Put the lake's data here instead, e.g. s3://neuralake-bucket/demo (S3 settings from AWS_*"
          + " variables, e.g. a local `neuralake s3 serve`). Default: the --dir folder.")
  String lakeLocation;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path local = dir.toAbsolutePath().normalize();
    Path catalogDir = local.resolve("catalog");
    String lake = lakeLocation == null ? local.toString() : lakeLocation;

    claimFolder(local);
    Catalog catalog;
    boolean postgres;
    try (ProgressBar bar = Progress.bar("Setting up the demo", 4, "", 1, false)) {
      bar.setExtraMessage("parts and spikes");
      List<Path> data = SampleLake.create(local);
      bar.step();
      bar.setExtraMessage(lakeLocation == null ? "data in place" : "uploading to " + lake);
      if (lakeLocation != null) {
        upload(local, data, Location.parse(lake));
      }
      bar.step();
      bar.setExtraMessage("catalog sources");
      writeCatalogSources(catalogDir);
      bar.step();
      bar.setExtraMessage("compiling the catalog");
      System.setProperty("neuralake.lake.root", lake);
      postgres = DemoPostgres.prepare(out);
      catalog = CatalogLoader.fromSource(catalogDir);
      bar.step();
    }
    run(catalog, lake, catalogDir, postgres, out);
    return 0;
  }

  /**
   * Refuses a folder holding files by the demo's names that an earlier demo did not write (no
   * marker): they are someone's data. With --reset they are removed; then the marker claims the folder.
   */
  private void claimFolder(Path local) {
    Path marker = local.resolve(MARKER);
    if (Files.exists(marker)) {
      return;
    }
    // earlier versions wrote no marker: their catalog source says the folder is the demo's
    boolean earlierDemo = Files.exists(local.resolve("catalog/DemoCatalog.java"));
    List<Path> theirs = earlierDemo ? List.of()
        : DATA.stream().map(local::resolve).filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).toList();
    if (!theirs.isEmpty() && !reset) {
      throw new NeuralakeException(ErrorCode.ALREADY_EXISTS, local + " already holds " + theirs.stream()
          .map(p -> p.getFileName() + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "")).toList()
          + ", which the demo did not write (it has no " + MARKER + " file) and would overwrite; choose another --dir,"
          + " or add --reset to replace them");
    }
    try {
      for (Path p : theirs) {
        deleteRecursively(p);
      }
      Files.createDirectories(local);
      Files.writeString(marker, "Written by `neuralake demo`: the demo's files in this folder are rewritten when it runs again.\n");
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare " + local + " for the demo: " + e.getMessage(), e);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (var walk = Files.walk(path)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    } else {
      Files.delete(path);
    }
  }

  /**
   * The Delta table: created from its declaration and filled by the streaming writer in five
   * batches with ids under an application id, so a rerun finds them committed and writes nothing
   * (exactly once); then queried with partition pruning.
   */
  private void deltaOrders(Catalog catalog, PrintWriter out) {
    if (!(catalog.db("tpch").definition("orders") instanceof DeltaTable orders)) {
      return;
    }
    orders.create(catalog.context());
    WriteOptions options = WriteOptions.builder().appId("neuralake-demo-orders").maxRows(5_000)
        .maxLatency(Duration.ofMillis(100)).build();
    int batches = 5;
    try (StreamingWriter writer = orders.streamingWriter(catalog.context(), options)) {
      if (writer.committedBatchId() >= batches - 1) {
        out.println("--- tpch.orders is a Delta table (its batches were committed by an earlier run: nothing to write) ---");
      } else {
        Path staging = dir.toAbsolutePath().normalize().resolve(".staging-orders");
        try {
          SampleLake.writeOrders(staging);
          // the staged files as a table, not as a path in SQL text: a --dir may hold quotes or glob characters
          Catalog staged = Catalog.builder("staging")
              .database("staging", ParquetTable.builder("orders", staging.toString()).build()).build();
          List<CompletableFuture<CommitResult>> acks = new ArrayList<>();
          List<DataFrame> frames = new ArrayList<>();
          for (int b = 0; b < batches; b++) {
            DataFrame batch = staged.sql("SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate,"
                + " o_orderpriority FROM staging.orders WHERE o_orderkey % " + batches + " = " + b)
                .collect();
            frames.add(batch);
            acks.add(writer.append(b, batch));
          }
          long versions = acks.stream().map(CompletableFuture::join).map(CommitResult::version).distinct().count();
          long rows = frames.stream().mapToLong(DataFrame::rowCount).sum();
          frames.forEach(DataFrame::close);
          out.println("--- tpch.orders is a Delta table; the streaming writer committed " + rows + " rows in " + batches
              + " batches as " + versions + " commit" + (versions == 1 ? "" : "s") + " ---");
        } finally {
          deleteQuietly(staging);
        }
      }
    }
    String sql = "SELECT o_orderpriority, count(*) AS orders, round(sum(o_totalprice), 2) AS total FROM tpch.orders"
        + " WHERE o_orderstatus = 'F' GROUP BY o_orderpriority ORDER BY o_orderpriority";
    show(catalog, sql, "tpch.orders (delta)", out);
  }

  /** Prints the SQL, its result, and the lines of its plan that describe the scan named {@code scan}. */
  static void show(Catalog catalog, String sql, String scan, PrintWriter out) {
    out.println(sql);
    Frame q = catalog.sql(sql);
    try (DataFrame df = q.collect()) {
      out.println(df);
    }
    q.explain().lines().filter(l -> l.contains(scan)).forEach(l -> out.println("scan: " + l.strip()));
    out.println();
  }

  private static void deleteQuietly(Path folder) {
    try (var walk = Files.walk(folder)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a staging folder; a rerun overwrites it
    }
  }

  private void upload(Path local, List<Path> files, Location lake) {
    try (Storage storage = Storage.defaults()) {
      ObjectStore store = storage.storeFor(lake);
      claimLake(store, lake);
      for (Path f : files) {
        store.putFile(lake.resolve(local.relativize(f).toString()), f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not upload the sample lake to " + lake + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #claimFolder} for a --lake location: its objects by the demo's names are someone's unless marked. */
  private void claimLake(ObjectStore store, Location lake) throws IOException {
    Location marker = lake.resolve(MARKER);
    if (store.head(marker).isPresent()) {
      return;
    }
    Listing level = store.listLevel(lake);
    List<String> present = new ArrayList<>();
    level.objects().forEach(o -> present.add(o.location().name()));
    level.folders().forEach(f -> present.add(f.name().replaceAll("/$", "") + "/"));
    List<String> theirs = present.stream().filter(n -> DATA.contains(n.replaceAll("/$", ""))).toList();
    if (!theirs.isEmpty() && !reset) {
      throw new NeuralakeException(ErrorCode.ALREADY_EXISTS,
          lake + " already holds " + theirs + ", which the demo did not write (it has no "
          + MARKER + " object) and would overwrite; choose another --lake, or add --reset to overwrite them");
    }
    store.put(marker, "Written by `neuralake demo`.\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void run(Catalog catalog, String lake, Path catalogDir, boolean postgres, PrintWriter out) {
    out.println();
    out.println("Sample lake:  " + lake);
    out.println("Catalog code: " + catalogDir + " (" + String.join(", ", CATALOG_SOURCES) + ")");
    out.println();
    out.println("--- The seed's federated query: tpch.part (Parquet) joined with tpch.supplier (a Java function) ---");
    out.println("catalog.db(\"tpch\").table(\"part\")");
    out.println("    .join(catalog.db(\"tpch\").table(\"supplier\"), \"p_partkey\", \"s_suppkey\")");
    out.println("    .filter(col(\"p_retailprice\").gt(904.0)).select(\"p_partkey\", \"p_name\", \"s_name\", \"p_retailprice\")");
    Frame parts = catalog.db("tpch").table("part");
    Frame joined = parts.join(catalog.db("tpch").table("supplier"), "p_partkey", "s_suppkey")
        .filter(col("p_retailprice").gt(904.0))
        .select("p_partkey", "p_name", "s_name", "p_retailprice")
        .sort("p_partkey");
    try (DataFrame df = joined.collect()) {
      out.println(df);
    }
    out.println();
    String sql = "SELECT date, count(*) AS bins, sum(spike_count) AS spikes FROM bci.spikes"
        + " WHERE implant_id = 4595 AND date >= '2024-04-28' GROUP BY date ORDER BY date";
    out.println("--- SQL over the catalog; the WHERE clause prunes partition folders before any file is read ---");
    show(catalog, sql, "bci.spikes (parquet)", out);
    deltaOrders(catalog, out);
    if (postgres) {
      DemoPostgres.query(catalog, out);
    }
    String cli = "./neuralake";
    String env = "NEURALAKE_LAKE_ROOT=" + lake;
    out.println("Next, try:");
    out.println("  " + env + " " + cli + " tables --catalog " + catalogDir);
    out.println("  " + env + " " + cli + " describe --catalog " + catalogDir + " bci.spikes");
    out.println("  " + env + " " + cli + " query --catalog " + catalogDir
        + " bci.spikes --filter \"implant_id = 4595\" --filter \"date = '2024-04-28'\" --limit 5");
    out.println("  " + env + " " + cli + " history --catalog " + catalogDir + " tpch.orders");
    if (postgres) {
      out.println("  " + env + " " + cli + " describe --catalog " + catalogDir + " clinic.implants");
    }
    out.println("  " + env + " " + cli + " sql --catalog " + catalogDir
        + " \"SELECT p_brand, count(*) AS n FROM tpch.part GROUP BY p_brand ORDER BY n DESC LIMIT 5\"");
    out.flush();
  }

  private void writeCatalogSources(Path catalogDir) {
    try {
      Files.createDirectories(catalogDir);
      for (String name : CATALOG_SOURCES) {
        Path target = catalogDir.resolve(name);
        if (Files.exists(target) && !reset) {
          continue; // keep the user's edits
        }
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
          if (in == null) {
            throw new IllegalStateException("the demo source " + name + " is missing from the jar; rebuild it");
          }
          Files.write(target, in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the catalog sources to " + catalogDir + ": " + e.getMessage(), e);
    }
  }
}
