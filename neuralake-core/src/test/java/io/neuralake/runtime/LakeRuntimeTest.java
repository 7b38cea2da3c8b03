package io.neuralake.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.sample.TpchData;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.LocalS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runtime owns its engine, stores, cache and threads, and closing it ends them all. */
class LakeRuntimeTest {
  @TempDir Path tmp;

  private static Set<Thread> neuralakeThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("neuralake-"))
        .collect(Collectors.toSet());
  }

  /** A runtime over S3 (S3Proxy) with a catalog of one Parquet table, queried once, so that every pool has run. */
  private LakeRuntime queriedRuntime(String bucket) throws Exception {
    Path lake = tmp.resolve("lake");
    TpchData.writeTable("orders", lake.resolve("orders"), 0.01, 4_000);
    LakeRuntime runtime = LakeRuntime.builder().s3(LocalS3.options()).cacheFolder(tmp.resolve("cache"))
        .root("s3://" + bucket + "/").build();
    ObjectStore s3 = runtime.storage().storeFor(Location.parse("s3://" + bucket + "/"));
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        s3.putFile(Location.parse("s3://" + bucket + "/" + lake.relativize(f)), f);
      }
    }
    return runtime;
  }

  @Test
  void closingStopsItsThreadsRemovesTheSpillFolderAndRefusesNewWork() throws Exception {
    Set<Thread> before = neuralakeThreads();
    LakeRuntime runtime = queriedRuntime(LocalS3.newBucket());
    Catalog catalog = Catalog.builder("c").runtime(runtime)
        .database("db", ParquetTable.builder("orders", "orders").build()).build();
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM db.orders").collect()) {
      assertThat(((Number) df.rows().get(0).get("n")).longValue()).isEqualTo(15_000L);
    }
    List<Thread> started = neuralakeThreads().stream().filter(t -> !before.contains(t)).toList();
    assertThat(started).as("the query fetched through the runtime's pools")
        .anyMatch(t -> t.getName().startsWith("neuralake-fetch"))
        .anyMatch(t -> t.getName().startsWith("neuralake-s3-files"));
    Path spill;
    try (DataFrame df = catalog.sql("SELECT current_setting('temp_directory') AS spill").collect()) {
      spill = Path.of((String) df.rows().get(0).get("spill"));
    }
    assertThat(spill).as("the runtime's engine made its own spill folder").isDirectory();

    runtime.close();

    for (Thread t : started) {
      t.join(30_000); // close waited for them; this only gives a thread's last instructions time to run
    }
    assertThat(started).as("threads of the closed runtime").noneMatch(Thread::isAlive);
    assertThat(spill).as("the engine's spill folder after close").doesNotExist();
    assertThatThrownBy(() -> catalog.sql("SELECT count(*) FROM db.orders").collect())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNTIME_CLOSED))
        .hasMessageContaining("closed");
    assertThatThrownBy(runtime::engine).isInstanceOf(NeuralakeException.class)
        .hasMessageContaining("cannot use the engine: the lake runtime is closed");
    assertThatThrownBy(() -> RuntimeComponents.of(runtime, AutoCloseable.class, r -> () -> { }))
        .isInstanceOf(NeuralakeException.class);
    runtime.close(); // idempotent
  }

  @Test
  void borrowedPartsStayOpenWhenTheRuntimeCloses() throws Exception {
    try (Engine engine = Engine.create(io.neuralake.engine.EngineOptions.fromEnvironment());
        Storage storage = Storage.defaults()) {
      LakeRuntime runtime = LakeRuntime.builder().engine(engine).storage(storage).build();
      assertThat(runtime.engine()).isSameAs(engine);
      assertThat(runtime.storage()).isSameAs(storage);
      runtime.close();
      assertThat(engine.schemaOf("SELECT 1 AS one").names()).containsExactly("one");
      assertThat(storage.storeFor(Location.parse(tmp.toString()))).isNotNull();
    }
  }

  @Test
  void componentsAreOnePerRuntimeAndCloseInReverseOrderBeforeTheEngine() {
    List<String> closed = new java.util.ArrayList<>();
    record First(List<String> log) implements AutoCloseable {
      @Override
      public void close() {
        log.add("first");
      }
    }
    record Second(List<String> log, Engine engine) implements AutoCloseable {
      @Override
      public void close() {
        // components close while the runtime's parts still work (a checkpoint under way needs them)
        log.add("second, engine answers " + engine.schemaOf("SELECT 1 AS one").names());
      }
    }
    LakeRuntime runtime = LakeRuntime.builder().build();
    try {
      LakeRuntime other = LakeRuntime.builder().build();
      First a = RuntimeComponents.of(runtime, First.class, r -> new First(closed));
      assertThat(RuntimeComponents.of(runtime, First.class, r -> new First(List.of()))).isSameAs(a);
      assertThat(RuntimeComponents.of(other, First.class, r -> new First(List.of()))).isNotSameAs(a);
      other.close();
      RuntimeComponents.of(runtime, Second.class, r -> new Second(closed, r.engine()));
    } finally {
      runtime.close();
    }
    assertThat(closed).containsExactly("second, engine answers [one]", "first");
  }

  @Test
  void contextsOutsideACatalogUseTheDefaultRuntime() {
    LakeContext context = new LakeContext(Location.parse(tmp.toString()), Storage.defaults(), Engine.shared());
    assertThat(context.runtime()).isSameAs(LakeRuntime.defaults());
    assertThat(LakeContext.defaults().engine()).isSameAs(Engine.shared()).isSameAs(LakeRuntime.defaults().engine());
    assertThat(Storage.shared()).isSameAs(LakeRuntime.defaults().storage());
    assertThat(context.catalog()).isEmpty();
  }
}
