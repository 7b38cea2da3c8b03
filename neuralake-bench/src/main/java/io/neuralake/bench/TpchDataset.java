package io.neuralake.bench;

import io.neuralake.sample.TpchData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** TPC-H as Parquet, generated once per scale factor into a reusable folder. */
public final class TpchDataset {
  private static final String COMPLETE = "_COMPLETE";

  private TpchDataset() {}

  public static Path folder(Path root, double scaleFactor) {
    return root.resolve("tpch-sf" + format(scaleFactor));
  }

  public static String format(double sf) {
    return sf == Math.rint(sf) ? Long.toString((long) sf) : String.format(Locale.ROOT, "%s", sf);
  }

  /** Removes what an interrupted generation left in {@code dir} and creates it empty. */
  private static void emptyFolder(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
  }

  /** The dataset's folder, generating it first if it is not complete. */
  public static Path ensure(Path root, double scaleFactor) {
    Path dir = folder(root, scaleFactor);
    if (Files.exists(dir.resolve(COMPLETE))) {
      return dir;
    }
    try {
      emptyFolder(dir);
      long expectedRows = Math.round(8_661_245L * scaleFactor);
      int rowsPerFile = (int) Math.max(10_000, Math.min(1_000_000, 750_000 * scaleFactor));
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Generating TPC-H sf " + format(scaleFactor))
          .setInitialMax(expectedRows).setUnit(" rows", 1).setStyle(ProgressBarStyle.ASCII).setMaxRenderedLength(100)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
        TpchData.write(dir, scaleFactor, rowsPerFile, bar::stepBy);
      }
      Files.writeString(dir.resolve(COMPLETE), "sf " + scaleFactor + "\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not generate TPC-H into " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The same TPC-H data as Delta tables, written once by Neuralake's writer from the Parquet
   * dataset (one commit per table) into {@code tpch-sf<N>-delta}.
   */
  public static Path ensureDelta(Path root, double scaleFactor) {
    Path parquet = ensure(root, scaleFactor).toAbsolutePath();
    Path dir = root.resolve("tpch-sf" + format(scaleFactor) + "-delta").toAbsolutePath();
    if (Files.exists(dir.resolve(COMPLETE))) {
      return dir;
    }
    try {
      emptyFolder(dir);
      io.neuralake.table.LakeContext context = new io.neuralake.table.LakeContext(
          io.neuralake.storage.Location.ofPath(dir), io.neuralake.storage.Storage.shared(), io.neuralake.engine.Engine.shared());
      for (String t : TpchData.tableNames()) {
        System.err.println("writing " + t + " as Delta ...");
        io.neuralake.delta.DeltaTable table = io.neuralake.delta.DeltaTable.builder(t, t).schema(TpchData.schema(t)).build();
        table.create(context);
        io.neuralake.catalog.Catalog source = io.neuralake.catalog.Catalog.builder("src")
            .database("p", io.neuralake.table.ParquetTable.builder(t, parquet.resolve(t).toString()).build()).build();
        table.append(source.db("p").table(t)).context(context).commit();
      }
      Files.writeString(dir.resolve(COMPLETE), "sf " + scaleFactor + " delta\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write TPC-H as Delta into " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Total bytes of a table's files. */
  public static long bytes(Path dir, String table) {
    try (var files = Files.list(dir.resolve(table))) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
