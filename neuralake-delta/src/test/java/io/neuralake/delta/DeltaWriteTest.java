package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.testing.CountingStore;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating and appending with our writer; Spark reads exactly what we wrote. */
class DeltaWriteTest {
  @TempDir Path dir;

  /** Background checkpoints finish before the temporary folder is deleted. */
  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  static final Schema ORDERS = Schema.of(Field.required("o_orderkey", DataType.INT64), Field.of("o_orderdate", DataType.DATE),
      Field.of("o_region", DataType.STRING), Field.of("o_total", DataType.FLOAT64));

  private LakeContext context(CountingStore store) {
    Storage storage = store == null ? Storage.defaults() : Storage.builder().store("file", store).build();
    return new LakeContext(Location.parse(dir.toString()), storage, Engine.shared());
  }

  private static Frame orders(long from, long to, String region) {
    Map<String, List<?>> cols = new LinkedHashMap<>();
    List<Long> keys = new ArrayList<>();
    List<LocalDate> dates = new ArrayList<>();
    List<String> regions = new ArrayList<>();
    List<Double> totals = new ArrayList<>();
    for (long k = from; k < to; k++) {
      keys.add(k);
      dates.add(LocalDate.of(2024, 1, 1).plusDays(k % 30));
      regions.add(region);
      totals.add(k * 1.25);
    }
    cols.put("o_orderkey", keys);
    cols.put("o_orderdate", dates);
    cols.put("o_region", regions);
    cols.put("o_total", totals);
    return Frame.fromColumns(cols);
  }

  @Test
  void createThenAppendAndSparkReadsTheSameRows() throws Exception {
    DeltaTable table = DeltaTable.builder("orders", "orders").schema(ORDERS).partitionedBy("o_region").build();
    LakeContext ctx = context(null);
    assertThat(table.create(ctx).version()).isZero();
    assertThat(table.create(ctx).version()).as("create is a no-op the second time").isZero();
    CommitResult eu = table.append(orders(0, 1000, "eu")).context(ctx).commit();
    assertThat(eu.version()).isEqualTo(1);
    assertThat(eu.rowsAdded()).isEqualTo(1000);
    CommitResult us = table.append(orders(1000, 1500, "us")).context(ctx).commit();
    assertThat(us.version()).isEqualTo(2);
    assertThat(dir.resolve("orders/o_region=eu")).isDirectory();

    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    try (DataFrame ours = c.db("db").table("orders").collect()) {
      assertThat(ours.rowCount()).isEqualTo(1500);
      assertThat(SparkDelta.Canonical.rows(ours)).isEqualTo(SparkDelta.rows(
          "SELECT o_orderkey, o_orderdate, o_region, o_total FROM delta.`" + dir.resolve("orders") + "`"));
    }
  }

  @Test
  void statisticsWeWriteLetReadersSkipFiles() {
    CountingStore store = new CountingStore();
    DeltaTable table = DeltaTable.builder("orders", "orders").schema(ORDERS).build();
    LakeContext ctx = context(store);
    table.create(ctx);
    for (int i = 0; i < 4; i++) {
      table.append(orders(i * 100, i * 100 + 100, "eu")).context(ctx).commit();
    }
    Catalog c = Catalog.builder("c").root(dir.toString()).storage(ctx.storage()).database("db", table).build();
    store.reset();
    assertThat(c.db("db").table("orders", Filter.ge("o_orderkey", 250)).count()).isEqualTo(150);
    assertThat(store.dataFilesOpened()).hasSize(2);
    assertThat(SparkDelta.rows("SELECT count(*) FROM delta.`" + dir.resolve("orders") + "` WHERE o_orderkey >= 250"))
        .containsExactly("150");
  }

  @Test
  void concurrentAppendsAllLandOnContiguousVersions() throws Exception {
    DeltaTable table = DeltaTable.builder("orders", "orders").schema(ORDERS).partitionedBy("o_region").build();
    LakeContext ctx = context(null);
    table.create(ctx);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<CommitResult>> results = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      long from = w * 100L;
      results.add(pool.submit(() -> table.append(orders(from, from + 100, from % 200 == 0 ? "eu" : "us")).context(ctx).commit()));
    }
    List<Long> versions = new ArrayList<>();
    for (Future<CommitResult> f : results) {
      versions.add(f.get().version());
    }
    pool.shutdown();
    // appends queued in one process may share a commit: versions are contiguous, none lost
    long last = versions.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(versions).containsAll(java.util.stream.LongStream.rangeClosed(1, last).boxed().toList());
    assertThat(DeltaHistory.of(table, ctx)).hasSize((int) last + 1);
    assertRows(table, 800);
  }

  private void assertRows(DeltaTable table, long expected) {
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    try (DataFrame df = c.db("db").table(table.name()).agg(io.neuralake.frame.Expr.countRows(),
        io.neuralake.frame.Expr.col("o_orderkey").nUnique().as("keys")).collect()) {
      assertThat(df.get(0, "count")).isEqualTo(expected);
      assertThat(df.get(0, "keys")).isEqualTo(expected);
    }
  }

  @Test
  void appendsWaitingInOneProcessShareOneCommit() throws Exception {
    CountingStore slow = new CountingStore();
    LakeContext ctx = context(slow);
    DeltaTable table = DeltaTable.builder("orders", "orders").schema(ORDERS).partitionedBy("o_region").build();
    table.create(ctx);
    slow.commitDelayMillis = 300; // the first commit holds the turn while the others queue behind it
    ExecutorService pool = Executors.newFixedThreadPool(8);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<Future<CommitResult>> results = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      long from = w * 100L;
      // two writers carry application transaction ids: at most one of them per commit
      Optional<Long> txnVersion = w < 2 ? Optional.of(7L) : Optional.empty();
      WriteOptions options = w < 2 ? WriteOptions.builder().appId("app-" + w).build() : WriteOptions.defaults();
      results.add(pool.submit(() -> {
        start.await();
        return DeltaWrites.append(table, ctx, orders(from, from + 100, w2(from)), options, txnVersion, files -> { });
      }));
    }
    start.countDown();
    List<CommitResult> done = new ArrayList<>();
    for (Future<CommitResult> f : results) {
      done.add(f.get());
    }
    pool.shutdown();
    slow.commitDelayMillis = 0;
    java.util.Set<Long> versions = new java.util.TreeSet<>();
    done.forEach(r -> versions.add(r.version()));
    assertThat(versions.size()).as("commits for 8 appends").isLessThan(8);
    assertThat(versions).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, versions.size()).boxed().toList());
    assertThat(done).allSatisfy(r -> assertThat(r.rowsAdded()).isEqualTo(100));
    assertThat(done.get(0).version()).as("writers with transaction ids commit apart").isNotEqualTo(done.get(1).version());
    assertThat(DeltaWrites.committedTransaction(table, ctx, "app-0")).isEqualTo(7L);
    assertThat(DeltaWrites.committedTransaction(table, ctx, "app-1")).isEqualTo(7L);
    assertRows(table, 800);
  }

  @Test
  void aPlainStreamingWritersBatchesWaitingForTheirTurnShareTheNextCommit() throws Exception {
    CountingStore slow = new CountingStore();
    LakeContext ctx = context(slow);
    DeltaTable table = DeltaTable.builder("orders", "orders").schema(ORDERS).build();
    table.create(ctx);
    long created = slow.commitsBegun.get();
    slow.commitDelayMillis = 1_000; // the first batch's commit holds the table's turn for a second
    try (StreamingWriter w = table.streamingWriter(ctx, WriteOptions.builder().maxLatency(Duration.ofMillis(20)).build());
        DataFrame a = orders(0, 100, "eu").collect();
        DataFrame b = orders(100, 200, "eu").collect();
        DataFrame c = orders(200, 300, "eu").collect()) {
      CompletableFuture<CommitResult> first = w.append(a);
      for (int i = 0; i < 2_000 && slow.commitsBegun.get() == created; i++) {
        Thread.sleep(5);
      }
      assertThat(slow.commitsBegun.get()).as("the first batch's commit began").isGreaterThan(created);
      CompletableFuture<CommitResult> second = w.append(b);
      Thread.sleep(200); // past the latency bound: the third append is a batch of its own
      CompletableFuture<CommitResult> third = w.append(c);
      long firstVersion = first.get(60, TimeUnit.SECONDS).version();
      // without an application id the later batches did not wait for the first to end: they queued together
      assertThat(second.get(60, TimeUnit.SECONDS).version()).isEqualTo(firstVersion + 1);
      assertThat(third.get(60, TimeUnit.SECONDS).version()).isEqualTo(firstVersion + 1);
    } finally {
      slow.commitDelayMillis = 0;
    }
    assertRows(table, 300);
  }

  private static String w2(long from) {
    return from % 200 == 0 ? "eu" : "us";
  }

  @Test
  void badDataFailsTheWholeAppendAndCommitsNothing() throws Exception {
    DeltaTable table = DeltaTable.builder("orders", "orders").schema(ORDERS).build();
    LakeContext ctx = context(null);
    table.create(ctx);
    Map<String, Object> ok = new LinkedHashMap<>();
    ok.put("o_orderkey", 1L);
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("o_orderkey", null);
    bad.put("o_region", "eu");
    assertThatThrownBy(() -> table.append(Frame.fromRows(List.of(ok, bad))).context(ctx).commit())
        .hasMessageContaining("required columns o_orderkey must not be null").hasMessageContaining("nothing was written");
    assertThatThrownBy(() -> table.append(Frame.fromRows(List.of(Map.of("o_orderkey", 1L, "surprise", 2)))).context(ctx).commit())
        .hasMessageContaining("has no column surprise");
    try (Stream<Path> log = Files.list(dir.resolve("orders/_delta_log"))) {
      assertThat(log.filter(p -> p.toString().endsWith(".json"))).hasSize(1);
    }
    DeltaTable missing = DeltaTable.builder("nope", "nope").schema(ORDERS).build();
    assertThatThrownBy(() -> missing.append(orders(0, 1, "eu")).context(ctx).commit()).hasMessageContaining("does not exist")
        .hasMessageContaining("create it first");
  }
}
