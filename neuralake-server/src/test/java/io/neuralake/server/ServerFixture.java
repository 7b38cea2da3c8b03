package io.neuralake.server;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.delta.DeltaTable;
import io.neuralake.engine.EngineOptions;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.sample.SampleLake;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A small lake on local disk served by a real server, for the doors' tests: {@code bci.spikes}
 * (Parquet, partitioned by implant and date, 18,000 rows), {@code tpch.part} (one Parquet file,
 * 2,000 rows) and {@code tpch.orders} (a Delta table of 15,000 rows partitioned by status), on a
 * runtime whose engine is sandboxed to the lake and the cache, as {@code neuralake serve} runs it.
 * Two users: {@code admin} (every database) and {@code bci_reader} (only {@code bci}).
 */
public final class ServerFixture implements AutoCloseable {
  // test-only secrets, long enough for the users' rules
  public static final String ADMIN_TOKEN = "admin-token-for-tests-0001";
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";
  public static final String BCI_TOKEN = "bci-token-for-tests-00001";
  public static final String BCI_PASSWORD = "bci-password-for-tests";

  /**
   * The example catalog's sources (examples/demo), as a reader passes them to {@code --catalog}: {@code tpch.orders}
   * (Delta), {@code tpch.part}, {@code tpch.supplier} (a function), {@code bci.spikes} and {@code bci.daily_spikes} (a
   * function reading spikes), over the same sample lake.
   */
  public static final Path DEMO_SOURCES = Path.of("..", "examples", "demo").toAbsolutePath().normalize();

  public final Path lake;
  public final LakeRuntime runtime;
  public final Catalog catalog;
  public final Users users;

  private ServerFixture(Path lake, LakeRuntime runtime, Catalog catalog) {
    this.lake = lake;
    this.runtime = runtime;
    this.catalog = catalog;
    this.users = Users.of(
        User.withToken("admin", ADMIN_TOKEN).password(ADMIN_PASSWORD),
        User.withToken("bci_reader", BCI_TOKEN).password(BCI_PASSWORD).databases(Set.of("bci")));
  }

  /** Writes the lake under {@code dir} (lake/, cache/) and builds its catalog. */
  public static ServerFixture create(Path dir) {
    return create(dir, ServerFixture::catalog);
  }

  /** The example catalog ({@link #DEMO_SOURCES}) over the sample lake under {@code dir}, with the two users. */
  public static ServerFixture demo(Path dir) {
    return create(dir, runtime -> CatalogLoader.load(DEMO_SOURCES.toString(), runtime));
  }

  private static ServerFixture create(Path dir, Function<LakeRuntime, Catalog> catalogOf) {
    Path lake = dir.resolve("lake").toAbsolutePath();
    Path cache = dir.resolve("cache").toAbsolutePath();
    SampleLake.create(lake);
    LakeRuntime runtime = runtime(lake, cache);
    Catalog catalog = catalogOf.apply(runtime);
    DeltaTable orders = (DeltaTable) catalog.db("tpch").definition("orders");
    orders.create(catalog.context());
    Path staging = SampleLake.writeOrders(dir.resolve("staging-orders"));
    Catalog staged = Catalog.builder("staging").runtime(LakeRuntime.defaults())
        .database("staging", ParquetTable.builder("orders", staging.toString()).build()).build();
    orders.append(staged.sql("SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate,"
        + " o_orderpriority FROM staging.orders")).context(catalog.context()).commit();
    return new ServerFixture(lake, runtime, catalog);
  }

  /**
   * Another server's view of the same lake (its own runtime and cache, as a replica in another
   * process has): for tests of replicas and of a writer beside the servers. Close it.
   */
  ServerFixture replica(Path dir) {
    LakeRuntime other = runtime(lake, dir.resolve("cache").toAbsolutePath());
    return new ServerFixture(lake, other, catalog(other));
  }

  /** A writer's view of the same lake: like {@link #replica} but with an engine that may write (not sandboxed). */
  ServerFixture writer(Path dir) {
    LakeRuntime other = LakeRuntime.builder().root(lake.toString()).cacheFolder(dir.resolve("cache").toAbsolutePath())
        .build();
    return new ServerFixture(lake, other, catalog(other));
  }

  private static LakeRuntime runtime(Path lake, Path cache) {
    return LakeRuntime.builder()
        .root(lake.toString())
        .cacheFolder(cache)
        .engineOptions(EngineOptions.fromEnvironment().locked(lake, cache))
        .build();
  }

  private static Catalog catalog(LakeRuntime runtime) {
    DeltaTable orders = DeltaTable.builder("orders", "orders")
        .description("TPC-H orders, a Delta table.")
        .schema(Schema.of(
            Field.required("o_orderkey", DataType.INT64),
            Field.of("o_custkey", DataType.INT64),
            Field.of("o_orderstatus", DataType.STRING),
            Field.of("o_totalprice", DataType.FLOAT64),
            Field.of("o_orderdate", DataType.DATE),
            Field.of("o_orderpriority", DataType.STRING)))
        .partitionedBy("o_orderstatus")
        .build();
    return Catalog.builder("test")
        .runtime(runtime)
        .database("bci", "Brain-computer-interface sessions.", java.util.List.of(
            ParquetTable.builder("spikes", "spikes")
                .description("Binned spike counts per channel.")
                .partitioning(PartitioningScheme.HIVE,
                    Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))
                .build()))
        .database("tpch", "TPC-H tables.", java.util.List.of(
            ParquetTable.builder("part", "parts.parquet").description("Parts.").build(),
            orders))
        .build();
  }

  /**
   * A server over the lake with every door on a free loopback port unless {@code configure} says
   * otherwise, and the two users.
   */
  public NeuralakeServer start(UnaryOperator<NeuralakeServer.Builder> configure) {
    return configure.apply(NeuralakeServer.builder(catalog)
        .httpPort(NeuralakeServer.ANY_PORT)
        .flightPort(NeuralakeServer.ANY_PORT)
        .pgPort(NeuralakeServer.ANY_PORT)
        .users(users)).start();
  }

  @Override
  public void close() {
    runtime.close();
  }
}
