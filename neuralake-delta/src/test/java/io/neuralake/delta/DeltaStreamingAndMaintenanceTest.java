package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming writer, compaction, overwrite and vacuum; Spark reads every result. */
class DeltaStreamingAndMaintenanceTest {
  @TempDir Path dir;

  /** Background checkpoints finish before the temporary folder is deleted. */
  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  static final Schema EVENTS = Schema.of(Field.required("id", DataType.INT64), Field.of("region", DataType.STRING),
      Field.of("value", DataType.FLOAT64));

  private LakeContext context() {
    return new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
  }

  private DeltaTable table() {
    return DeltaTable.builder("events", "events").schema(EVENTS).partitionedBy("region").build();
  }

  static List<Map<String, Object>> rows(long from, long to, String region) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", i);
      r.put("region", region);
      r.put("value", i * 0.5);
      out.add(r);
    }
    return out;
  }

  private long count(Catalog c) {
    return c.db("db").table("events").count();
  }

  private List<String> spark() {
    return SparkDelta.rows("SELECT id, region, value FROM delta.`" + dir.resolve("events") + "`");
  }

  private List<String> ours(Catalog c) {
    try (DataFrame df = c.db("db").table("events").select("id", "region", "value").collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  @Test
  void streamingWriterBatchesAppendsIntoFewCommits() throws Exception {
    DeltaTable table = table();
    LakeContext ctx = context();
    table.create(ctx);
    List<CompletableFuture<CommitResult>> acks = new ArrayList<>();
    try (StreamingWriter w = table.streamingWriter(ctx, WriteOptions.builder().maxRows(500)
        .maxLatency(Duration.ofMillis(200)).build())) {
      for (int i = 0; i < 20; i++) {
        acks.add(w.append(rows(i * 100L, i * 100L + 100, i % 2 == 0 ? "eu" : "us")));
      }
    }
    for (CompletableFuture<CommitResult> a : acks) {
      assertThat(a).isCompleted();
      assertThat(a.get().version()).isPositive();
    }
    long commits = acks.stream().map(a -> a.join().version()).distinct().count();
    // appends arriving while a commit runs wait for the next one, so 20 appends need few commits
    assertThat(commits).as("20 appends of 100 rows with maxRows 500").isBetween(1L, 10L);
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    assertThat(count(c)).isEqualTo(2000);
    assertThat(ours(c)).isEqualTo(spark());
  }

  @Test
  void latencyBoundCommitsASmallAppendQuickly() throws Exception {
    DeltaTable table = table();
    LakeContext ctx = context();
    table.create(ctx);
    try (StreamingWriter w = table.streamingWriter(ctx, WriteOptions.builder().maxRows(1_000_000)
        .maxLatency(Duration.ofMillis(100)).build())) {
      CommitResult r = w.append(rows(0, 3, "eu")).get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.rowsAdded()).isEqualTo(3);
    }
  }

  @Test
  void batchIdsMakeARestartedWriterExactlyOnce() throws Exception {
    DeltaTable table = table();
    LakeContext ctx = context();
    table.create(ctx);
    WriteOptions options = WriteOptions.builder().appId("ingest-1").maxRows(100).maxLatency(Duration.ofMillis(50)).build();
    try (StreamingWriter w = table.streamingWriter(ctx, options)) {
      assertThat(w.committedBatchId()).isEqualTo(-1);
      for (long b = 0; b < 5; b++) {
        w.append(b, rows(b * 100, b * 100 + 100, "eu")).join();
      }
    }
    // a restart replays batches 3..7: 3 and 4 are already in, 5..7 are new
    try (StreamingWriter w = table.streamingWriter(ctx, options)) {
      assertThat(w.committedBatchId()).isEqualTo(4);
      for (long b = 3; b < 8; b++) {
        w.append(b, rows(b * 100, b * 100 + 100, "eu")).join();
      }
    }
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    try (DataFrame df = c.db("db").table("events").agg(Expr.countRows(), Expr.col("id").nUnique().as("ids")).collect()) {
      assertThat(df.get(0, "count")).isEqualTo(800L);
      assertThat(df.get(0, "ids")).isEqualTo(800L);
    }
  }

  @Test
  void afterABatchWithIdsFailsLaterOnesWaitForANewWriter() throws Exception {
    DeltaTable table = table();
    LakeContext ctx = context();
    table.create(ctx);
    WriteOptions options = WriteOptions.builder().appId("ingest-2").maxLatency(Duration.ofMillis(20)).build();
    List<Map<String, Object>> bad = rows(100, 110, "eu");
    bad.get(3).put("id", null);
    try (StreamingWriter w = table.streamingWriter(ctx, options)) {
      w.append(0, rows(0, 10, "eu")).join();
      assertThatThrownBy(() -> w.append(1, bad).join()).hasMessageContaining("must not be null");
      // committing batch 2 would record id 2, and a restarted writer would then skip batch 1
      assertThatThrownBy(() -> w.append(2, rows(200, 210, "eu")).join()).hasMessageContaining("open a new writer");
    }
    try (StreamingWriter w = table.streamingWriter(ctx, options)) {
      assertThat(w.committedBatchId()).isEqualTo(0);
      w.append(1, rows(100, 110, "eu")).join();
      w.append(2, rows(200, 210, "eu")).join();
    }
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    assertThat(count(c)).isEqualTo(30);
  }

  @Test
  void optimizeCompactsSmallFilesWithoutChangingRows() throws Exception {
    DeltaTable table = table();
    LakeContext ctx = context();
    table.create(ctx);
    for (int i = 0; i < 6; i++) {
      table.append(Frame.fromRows(rows(i * 10L, i * 10L + 10, i % 2 == 0 ? "eu" : "us"))).context(ctx).commit();
    }
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    List<String> before = ours(c);
    OptimizeResult result = table.optimize().context(ctx).sortBy("id").run();
    assertThat(result.filesRemoved()).isEqualTo(6);
    assertThat(result.filesAdded()).isEqualTo(2);
    assertThat(result.partitionsCompacted()).isEqualTo(2);
    assertThat(ours(c)).isEqualTo(before).isEqualTo(spark());
    assertThat(c.db("db").table("events").explain()).contains("files=2/2");
    // only the eu partition, and nothing left to do there
    OptimizeResult again = table.optimize().context(ctx).where(List.of(Filter.eq("region", "eu"))).run();
    assertThat(again.filesRemoved()).isZero();
    List<Commit> history = DeltaHistory.of(table, c.context());
    assertThat(history.get(history.size() - 1).filesRemoved()).isEqualTo(6);
  }

  @Test
  void compactedFilesKeepTheFieldIdsOfColumnMappingById() throws Exception {
    DeltaTable table = DeltaTable.builder("events", "events-by-id").schema(EVENTS).partitionedBy("region")
        .property("delta.columnMapping.mode", "id").build();
    LakeContext ctx = context();
    table.create(ctx);
    for (int i = 0; i < 4; i++) {
      table.append(Frame.fromRows(rows(i * 10L, i * 10L + 10, "eu"))).context(ctx).commit();
    }
    OptimizeResult result = table.optimize().context(ctx).run();
    assertThat(result.filesRemoved()).isEqualTo(4);
    // Spark resolves columns of an id-mapped table by Parquet field id: a file without them reads as nulls
    assertThat(SparkDelta.rows("SELECT count(*), count(id), count(value) FROM delta.`" + dir.resolve("events-by-id") + "`"))
        .containsExactly("40 | 40 | 40");
  }

  @Test
  void overwriteReplacesAPartitionAtomically() throws Exception {
    DeltaTable table = table();
    LakeContext ctx = context();
    table.create(ctx);
    table.append(Frame.fromRows(rows(0, 100, "eu"))).context(ctx).commit();
    table.append(Frame.fromRows(rows(100, 200, "us"))).context(ctx).commit();
    CommitResult backfill = table.overwrite(Frame.fromRows(rows(1000, 1050, "eu"))).context(ctx).where(Filter.eq("region", "eu")).commit();
    assertThat(backfill.filesRemoved()).isEqualTo(1);
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    assertThat(count(c)).isEqualTo(150);
    assertThat(ours(c)).isEqualTo(spark());
    assertThat(c.db("db").table("events", ReadOptions.builder().version(2).build()).count()).isEqualTo(200);
    assertThatThrownBy(() -> table.overwrite(Frame.fromRows(rows(0, 1, "us"))).context(ctx).where(Filter.eq("region", "eu")).commit()).hasMessageContaining("overwrite data must lie inside region = 'eu'");
    assertThatThrownBy(() -> table.overwrite(Frame.fromRows(rows(0, 1, "eu"))).context(ctx).where(Filter.eq("id", 1)).commit()).hasMessageContaining("must be on partition columns");
  }

  @Test
  void vacuumDeletesOnlyWhatNoVersionInTheWindowNeeds() throws Exception {
    DeltaTable table = table();
    LakeContext ctx = context();
    table.create(ctx);
    for (int i = 0; i < 3; i++) {
      table.append(Frame.fromRows(rows(i * 10L, i * 10L + 10, "eu"))).context(ctx).commit();
    }
    table.optimize().context(ctx).run();
    Path orphan = dir.resolve("events/region=eu/part-orphan-from-a-crashed-writer.parquet");
    Files.copy(Files.list(dir.resolve("events/region=eu")).filter(p -> p.toString().endsWith(".parquet")).findFirst().get(), orphan);
    // an orphan older than the window: written by a writer that died before committing, 8 days ago
    Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - Duration.ofDays(8).toMillis()));

    VacuumResult week = table.vacuum().context(ctx).retention(Duration.ofDays(7)).run();
    assertThat(week.deleted()).as("the compacted-away files are within the window").containsExactly(orphan.toString());
    // below the table's 7 days only with the check off (no reader needs the older versions here)
    VacuumOptions.Builder zero = VacuumOptions.builder().retention(Duration.ZERO).retentionCheck(false);
    VacuumResult dry = table.vacuum().context(ctx).options(zero.dryRun(true).build()).run();
    assertThat(dry.deleted()).hasSize(3);
    assertThat(dry.dryRun()).isTrue();
    try (Stream<Path> files = Files.list(dir.resolve("events/region=eu"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).hasSize(4);
    }
    VacuumResult now = table.vacuum().context(ctx).options(zero.dryRun(false).build()).run();
    assertThat(now.deleted()).hasSize(3);
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    assertThat(count(c)).isEqualTo(30);
    assertThat(ours(c)).isEqualTo(spark());
  }

  @Test
  void schemaEvolutionAddsNullableColumnsWhenAsked() throws Exception {
    LakeContext ctx = context();
    DeltaTable plain = table();
    plain.create(ctx);
    List<Map<String, Object>> extra = rows(0, 1, "eu");
    extra.get(0).put("note", "x");
    assertThatThrownBy(() -> plain.append(Frame.fromRows(extra)).context(ctx).options(WriteOptions.builder().mergeSchema(true).build()).commit())
        .hasMessageContaining("needs column mapping");

    DeltaTable table = DeltaTable.builder("mapped", "mapped").schema(EVENTS).partitionedBy("region")
        .property("delta.columnMapping.mode", "name").build();
    table.create(ctx);
    table.append(Frame.fromRows(rows(0, 10, "eu"))).context(ctx).commit();
    List<Map<String, Object>> wider = rows(10, 20, "eu");
    wider.forEach(r -> r.put("note", "n" + r.get("id")));
    assertThatThrownBy(() -> table.append(Frame.fromRows(wider)).context(ctx).commit()).hasMessageContaining("has no column note")
        .hasMessageContaining("mergeSchema");
    table.append(Frame.fromRows(wider)).context(ctx).options(WriteOptions.builder().mergeSchema(true).build()).commit();
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", DeltaTable.builder("mapped", "mapped").build()).build();
    try (DataFrame df = c.db("db").table("mapped").sort("id").collect()) {
      assertThat(df.columnNames()).contains("note");
      assertThat(df.get(0, "note")).isNull();
      assertThat(df.get(15, "note")).isEqualTo("n15");
      assertThat(SparkDelta.Canonical.rows(df)).isEqualTo(SparkDelta.rows("SELECT * FROM delta.`" + dir.resolve("mapped") + "`"));
    }
  }
}
