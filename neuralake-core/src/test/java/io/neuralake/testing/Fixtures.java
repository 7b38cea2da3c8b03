package io.neuralake.testing;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.storage.Storage;
import io.neuralake.table.TableDefinition;
import java.nio.file.Path;

/** Datasets written by plain DuckDB (not by Neuralake) and catalogs over them. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * 360 events, hive-partitioned by implant_id (4595, 4596, 45950: the last one guards the
   * trailing slash of prefix pruning) and date (three days): 9 partition folders, one file each.
   * Data columns: x (int64, 0..359), name (string), v (float64), tags (list of int64), d (date).
   */
  public static void writeEvents(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir.getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (DuckDb db = new DuckDb()) {
      db.execute("COPY (SELECT [4595, 4596, 45950][(i % 3) + 1] AS implant_id,"
          + " ['2024-04-27', '2024-04-28', '2024-04-29'][((i // 3) % 3) + 1] AS date,"
          + " i AS x, 'name_' || i AS name, i * 1.5 AS v, [i % 5, i % 7] AS tags,"
          + " DATE '2024-01-01' + CAST(i % 30 AS INTEGER) AS d"
          + " FROM range(360) t(i)) TO '" + dir + "' (FORMAT parquet, PARTITION_BY (implant_id, date))");
    }
  }

  /** The SQL that reads the events independently of Neuralake. */
  public static String eventsSql(Path dir) {
    return "SELECT * FROM read_parquet('" + dir + "/**/*.parquet', hive_partitioning = true,"
        + " hive_types = {'implant_id': BIGINT, 'date': VARCHAR})";
  }

  /** A catalog with one database "db" of the given tables, reading through the given store. */
  public static Catalog catalog(Path root, CountingStore store, TableDefinition... tables) {
    return Catalog.builder("test")
        .root(root.toString())
        .storage(Storage.builder().store("file", store).build())
        .engine(Engine.shared())
        .database("db", tables)
        .build();
  }
}
