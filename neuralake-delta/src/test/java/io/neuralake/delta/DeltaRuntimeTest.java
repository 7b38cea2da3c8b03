package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.DeltaRuntime;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3Options;
import io.neuralake.storage.Storage;
import io.neuralake.testing.FaultyProxy;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta state lives in a runtime, keyed by store identity and path: the same s3://bucket/t reached
 * through two endpoints is two tables' worth of snapshots and commit queues; closing the runtime
 * finishes its background checkpoints.
 */
class DeltaRuntimeTest {
  @TempDir Path dir;

  static final Schema SCHEMA = Schema.of(Field.required("id", DataType.INT64), Field.of("name", DataType.STRING));

  private static Frame rows(long from, long to) {
    Map<String, List<?>> cols = new LinkedHashMap<>();
    cols.put("id", LongStream.range(from, to).boxed().toList());
    cols.put("name", LongStream.range(from, to).mapToObj(i -> "n" + i).toList());
    return Frame.fromColumns(cols);
  }

  private static long count(Catalog catalog) {
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM db.t").collect()) {
      return ((Number) df.rows().get(0).get("n")).longValue();
    }
  }

  private static Catalog catalog(String name, LakeRuntime runtime, Storage storage, String root) {
    Catalog.Builder b = Catalog.builder(name).runtime(runtime).root(root)
        .database("db", DeltaTable.builder("t", "t").schema(SCHEMA).build());
    return (storage == null ? b : b.storage(storage)).build();
  }

  /** The catalog's handle of the table: its writes without a context commit in the catalog's context. */
  private static DeltaTable table(Catalog catalog) {
    return (DeltaTable) catalog.db("db").definition("t");
  }

  private Storage storage(S3Options options, String cache) {
    return Storage.builder().s3(options).cache(new FileCache(dir.resolve(cache), 1L << 30, Duration.ZERO)).build();
  }

  @Test
  void twoRuntimesOverOnePathThroughTwoEndpointsShareNoSnapshots() throws Exception {
    String root = "s3://" + LocalS3.newBucket() + "/";
    try (FaultyProxy proxy = new FaultyProxy(LocalS3.server().port(), 0, 1);
        LakeRuntime direct = LakeRuntime.builder().s3(LocalS3.options()).cacheFolder(dir.resolve("c1"))
            .deltaLogTtl(Duration.ofHours(1)).build();
        LakeRuntime proxied = LakeRuntime.builder().s3(LocalS3.options().toBuilder().endpoint(proxy.endpoint()).build())
            .cacheFolder(dir.resolve("c2")).deltaLogTtl(Duration.ofHours(1)).build()) {
      Catalog a = catalog("a", direct, null, root);
      Catalog b = catalog("b", proxied, null, root);
      table(a).create();
      table(a).append(rows(0, 10)).commit();
      assertThat(count(b)).isEqualTo(10); // b's runtime now holds version 1 for the hour
      table(a).append(rows(10, 20)).commit();
      assertThat(count(a)).as("a reads its own commit at once").isEqualTo(20);
      assertThat(count(b)).as("b's snapshot is its own, reused within its Delta log TTL").isEqualTo(10);
      proxied.refresh();
      assertThat(count(b)).as("after a refresh b lists the log").isEqualTo(20);
      assertThat(DeltaRuntime.of(a.context())).isNotSameAs(DeltaRuntime.of(b.context()));
    }
  }

  @Test
  void inOneRuntimeTablesAreKeyedByStoreIdentityNotByPath() throws Exception {
    String root = "s3://" + LocalS3.newBucket() + "/";
    Location t = Location.parse(root + "t");
    try (FaultyProxy proxy = new FaultyProxy(LocalS3.server().port(), 0, 2);
        LakeRuntime runtime = LakeRuntime.builder().deltaLogTtl(Duration.ofHours(1)).build();
        Storage direct = storage(LocalS3.options(), "c1");
        Storage sameEndpoint = storage(LocalS3.options(), "c2");
        Storage proxied = storage(LocalS3.options().toBuilder().endpoint(proxy.endpoint()).build(), "c3")) {
      Catalog a = catalog("a", runtime, direct, root);
      Catalog twin = catalog("twin", runtime, sameEndpoint, root);
      Catalog b = catalog("b", runtime, proxied, root);
      table(a).create();
      table(a).append(rows(0, 10)).commit();
      assertThat(count(b)).isEqualTo(10);
      table(a).append(rows(10, 20)).commit();
      assertThat(count(twin)).as("another storage for the same endpoint and principal: the same table").isEqualTo(20);
      assertThat(count(b)).as("another endpoint: its own snapshot, not a's commit").isEqualTo(10);
      // the key of snapshots, scan results and commit queues
      assertThat(DeltaRuntime.key(a.context(), t)).isEqualTo(DeltaRuntime.key(twin.context(), t))
          .isNotEqualTo(DeltaRuntime.key(b.context(), t));
      assertThat(DeltaRuntime.key(b.context(), t)).contains(proxy.endpoint()).doesNotContain(LocalS3.SECRET_KEY);
    }
  }

  @Test
  void closingFinishesBackgroundCheckpointsStopsTheHookThreadAndRefusesWrites() throws Exception {
    LakeRuntime runtime = LakeRuntime.builder().build();
    Catalog catalog = Catalog.builder("c").runtime(runtime).root(dir.toString())
        .database("db", DeltaTable.builder("t", "t").schema(SCHEMA).property("delta.checkpointInterval", "2").build())
        .build();
    DeltaTable t = table(catalog);
    t.create();
    t.append(rows(0, 5)).commit();
    t.append(rows(5, 10)).commit(); // version 2: a checkpoint, in the background
    List<Thread> hooks = Thread.getAllStackTraces().keySet().stream()
        .filter(th -> th.getName().startsWith("neuralake-delta-hooks")).toList();

    runtime.close();

    assertThat(dir.resolve("t/_delta_log/00000000000000000002.checkpoint.parquet"))
        .as("the catalog's root, and the checkpoint finished by close").exists();
    for (Thread th : hooks) {
      th.join(30_000);
    }
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(th -> hooks.contains(th) && th.isAlive());
    assertThatThrownBy(() -> t.append(rows(10, 11)).commit())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNTIME_CLOSED));
  }
}
