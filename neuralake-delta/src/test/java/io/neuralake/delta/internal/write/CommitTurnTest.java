package io.neuralake.delta.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.StreamingWriter;
import io.neuralake.delta.WriteOptions;
import io.neuralake.delta.internal.DeltaRuntime;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.testing.CountingStore;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group of one process's commits that waits as a request for the host lock ends the process's
 * turn, so that later batches write requests of their own: each request is committed once, by the
 * group that took it, even when that group is still waiting as later writers take the turn.
 */
class CommitTurnTest {
  private static final java.util.regex.Pattern ADD_PATH = java.util.regex.Pattern.compile("\"add\":\\{\"path\":\"([^\"]+)\"");
  private static final Schema SCHEMA = Schema.of(Field.required("id", DataType.INT64));

  @TempDir Path dir;

  @AfterEach
  void awaitHooks() {
    DeltaWrites.awaitHooks();
  }

  private static DataFrame ids(long from, long to) {
    return Frame.fromColumns(Map.<String, List<?>>of("id", LongStream.range(from, to).boxed().toList())).collect();
  }

  @Test
  void batchesThatWaitedTogetherForTheLockAreCommittedOnceInOneVersion() throws Exception {
    CountingStore slow = new CountingStore();
    Storage storage = Storage.builder().store("file", slow)
        .cache(new FileCache(dir.resolve("cache"), 1L << 30, Duration.ofMinutes(1))).build();
    LakeContext ctx = new LakeContext(Location.parse(dir.toString()), storage, Engine.shared());
    DeltaTable table = DeltaTable.builder("events", dir.resolve("events").toString()).schema(SCHEMA).build();
    table.create(ctx);
    Path lockFile = HostCommitLock.file(ctx, DeltaRuntime.key(ctx, DeltaWrites.location(table, ctx)));
    long created = slow.commitsBegun.get();
    slow.commitDelayMillis = 1_000; // the first batch commits holding the lock and the turn, slowly
    WriteOptions options = WriteOptions.builder().maxLatency(Duration.ofMillis(20)).hostCommitLock(true).build();
    try (StreamingWriter w = table.streamingWriter(ctx, options);
        DataFrame a = ids(0, 100);
        DataFrame b = ids(100, 200);
        DataFrame c = ids(200, 300)) {
      CompletableFuture<CommitResult> first = w.append(a);
      for (int i = 0; i < 2_000 && slow.commitsBegun.get() == created; i++) {
        Thread.sleep(5);
      }
      assertThat(slow.commitsBegun.get()).as("the first batch's commit began").isGreaterThan(created);
      // two more batches wait for the turn behind it, together
      CompletableFuture<CommitResult> second = w.append(b);
      Thread.sleep(200);
      CompletableFuture<CommitResult> third = w.append(c);
      Thread.sleep(200);
      // take the host lock as the first lets it go: the two then find it busy and wait as one request,
      // ending the turn, which the third's own commit thread takes next (it must find its batch taken)
      HostCommitLock held = HostCommitLock.acquire(lockFile, Duration.ofSeconds(30));
      assertThat(held).as("the host lock, once the first commit let it go").isNotNull();
      slow.commitDelayMillis = 0;
      long version;
      try {
        version = first.get(60, TimeUnit.SECONDS).version();
        Thread.sleep(300);
      } finally {
        held.close();
      }
      assertThat(second.get(60, TimeUnit.SECONDS).version()).isEqualTo(version + 1);
      assertThat(third.get(60, TimeUnit.SECONDS).version()).isEqualTo(version + 1);
    }
    Catalog catalog = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    try (DataFrame counted = catalog.db("db").table("events").agg(Expr.countRows(), Expr.col("id").nUnique().as("ids"))
        .collect()) {
      assertThat(counted.get(0, "count")).as("rows: every batch once").isEqualTo(300L);
      assertThat(counted.get(0, "ids")).isEqualTo(300L);
    }
    // a request committed twice would add the same files twice (the rows would not double: replay
    // keeps one add per path, but the table's statistics and checksums would count them twice)
    List<String> added = new java.util.ArrayList<>();
    try (var entries = java.nio.file.Files.list(dir.resolve("events/_delta_log"))) {
      for (Path entry : entries.filter(f -> f.toString().endsWith(".json")).toList()) {
        java.util.regex.Matcher m = ADD_PATH.matcher(java.nio.file.Files.readString(entry));
        while (m.find()) {
          added.add(m.group(1));
        }
      }
    }
    assertThat(added).as("files added to the log").hasSize(3).doesNotHaveDuplicates();
    assertThat(slow.commitsBegun.get() - created).as("log entries put: the first, then the other two together")
        .isEqualTo(2L);
  }
}
