package io.neuralake.site;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.delta.DeltaTable;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.sample.SampleLake;
import io.neuralake.table.ParquetTable;
import java.nio.file.Path;

/**
 * The example catalog (examples/demo) over its sample lake, as `neuralake demo` writes it: parts and spikes as
 * Parquet, orders as a Delta table of 15,000 rows in one commit. Close it to close its runtime.
 */
final class DemoLake implements AutoCloseable {
  /** The example catalog's sources, as a reader passes them to --catalog. */
  static final Path SOURCES = Path.of("..", "examples", "demo").toAbsolutePath().normalize();

  final Path lake;
  final LakeRuntime runtime;
  final Catalog catalog;

  private DemoLake(Path lake, LakeRuntime runtime, Catalog catalog) {
    this.lake = lake;
    this.runtime = runtime;
    this.catalog = catalog;
  }

  static DemoLake create(Path dir) {
    Path lake = dir.resolve("lake").toAbsolutePath();
    SampleLake.create(lake);
    LakeRuntime runtime = LakeRuntime.builder().root(lake.toString()).cacheFolder(dir.resolve("cache").toAbsolutePath())
        .build();
    Catalog catalog = CatalogLoader.load(SOURCES.toString(), runtime);
    DeltaTable orders = (DeltaTable) catalog.db("tpch").definition("orders");
    orders.create(catalog.context());
    Path staging = SampleLake.writeOrders(dir.resolve("staging-orders"));
    Catalog staged = Catalog.builder("staging").runtime(runtime)
        .database("staging", ParquetTable.builder("orders", staging.toString()).build()).build();
    orders.append(staged.sql("SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate,"
        + " o_orderpriority FROM staging.orders")).context(catalog.context()).commit();
    return new DemoLake(lake, runtime, catalog);
  }

  /** The catalog loaded again (as a reader's program would), in this lake's runtime. */
  Catalog reload() {
    return CatalogLoader.load(SOURCES.toString(), runtime);
  }

  @Override
  public void close() {
    runtime.close();
  }
}
