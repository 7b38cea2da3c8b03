package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3Options;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.testing.FaultyProxy;
import io.neuralake.testing.LocalS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers in separate processes, on local disk and on S3 (through a proxy that injects faults),
 * with compaction running beside them and writers killed with SIGKILL at random moments: every
 * acknowledged batch is present exactly once, versions are contiguous, every version is readable,
 * and vacuum removes the files crashed writers left behind.
 */
class DeltaReliabilityTest {
  @TempDir Path dir;

  /** Background checkpoints finish before the temporary folder is deleted. */
  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }
  private static final int WRITERS = 4;
  private static final int BATCHES = 8;
  private static final int ROWS = 50;

  private Process start(String location, String writer, Map<String, String> env, Path out) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        WriterProcess.class.getName(), location, writer, Integer.toString(BATCHES), Integer.toString(ROWS))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs the writers; the chosen ones are killed once, after their first acknowledged batch, and restarted. */
  private Map<String, Set<Long>> runWriters(String location, Map<String, String> env, Set<String> toKill,
      Runnable beside) throws Exception {
    Map<String, Process> running = new HashMap<>();
    Map<String, Path> logs = new HashMap<>();
    for (int w = 0; w < WRITERS; w++) {
      String name = "w" + w;
      logs.put(name, dir.resolve(name + ".log"));
      running.put(name, start(location, name, env, logs.get(name)));
    }
    Random random = new Random(7);
    for (String victim : toKill) {
      // wait for one acknowledged batch, then kill at a random moment (data upload or commit)
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.readString(logs.get(victim)).contains("ACK") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(random.nextInt(400));
      running.get(victim).destroyForcibly().waitFor();
      running.put(victim, start(location, victim, env, logs.get(victim)));
    }
    beside.run();
    Map<String, Set<Long>> acked = new HashMap<>();
    for (Map.Entry<String, Process> e : running.entrySet()) {
      assertThat(e.getValue().waitFor(5, TimeUnit.MINUTES)).isTrue();
      String log = Files.readString(logs.get(e.getKey()));
      assertThat(e.getValue().exitValue()).as(log).isZero();
      assertThat(log).contains("DONE");
      Set<Long> batches = new HashSet<>();
      log.lines().filter(l -> l.startsWith("ACK ")).forEach(l -> batches.add(Long.parseLong(l.substring(4))));
      acked.put(e.getKey(), batches);
    }
    return acked;
  }

  private void verify(Catalog catalog, Map<String, Set<Long>> acked, LakeContext context, boolean everyVersion) throws Exception {
    try (DataFrame perBatch = catalog.db("db").table("ingest").groupBy("writer", "batch")
        .agg(Expr.countRows().as("n"), Expr.col("seq").nUnique().as("distinct_seq")).collect()) {
      assertThat(perBatch.rowCount()).as("every batch of every writer").isEqualTo((long) WRITERS * BATCHES);
      assertThat(perBatch.column("n")).as("each batch exactly once").containsOnly((long) ROWS);
      assertThat(perBatch.column("distinct_seq")).containsOnly((long) ROWS);
    }
    for (Map.Entry<String, Set<Long>> e : acked.entrySet()) {
      assertThat(e.getValue()).as(e.getKey() + " acknowledged batches").isNotEmpty();
    }
    DeltaTable table = (DeltaTable) catalog.db("db").definition("ingest");
    List<Commit> history = DeltaHistory.of(table, context);
    long last = history.get(history.size() - 1).version();
    List<Long> versions = history.stream().map(Commit::version).toList();
    assertThat(versions).as("contiguous versions").isEqualTo(java.util.stream.LongStream.rangeClosed(versions.get(0), last).boxed().toList());
    long previous = -1;
    for (long v = everyVersion ? 0 : last; v <= last; v++) {
      long rows = catalog.db("db").table("ingest", ReadOptions.builder().version(v).build()).count();
      assertThat(rows).as("version " + v + " readable, never shrinking (no half-visible commit)").isGreaterThanOrEqualTo(previous);
      previous = rows;
    }
  }

  @Test
  void processesOnLocalDiskWithCompactionAndCrashes() throws Exception {
    String location = dir.resolve("lake/ingest").toString();
    LakeContext context = new LakeContext(Location.parse(dir.toString()), Storage.defaults(), io.neuralake.engine.Engine.shared());
    DeltaTable table = WriterProcess.table(location);
    table.create(context);
    Map<String, Set<Long>> acked = runWriters(location, Map.of(), Set.of("w1", "w2"), () -> {
      for (int i = 0; i < 3; i++) {
        try {
          table.optimize().context(context).options(WriteOptions.builder().targetFileBytes(64L << 20).build()).run();
        } catch (RuntimeException conflict) {
          // a compaction that loses to another one's removes is simply skipped
        }
      }
    });
    Catalog catalog = Catalog.builder("c").database("db", table).build();
    verify(catalog, acked, context, true);

    // vacuum with no retention (the check off) removes the compacted-away files (files crashed writers
    // left uncommitted stay: they are younger than an hour); the latest version keeps every row
    // (older ones may now miss files)
    // (one more compaction, alone now, so that some files were compacted away even if every one
    // beside the writers lost its race)
    table.optimize().context(context).options(WriteOptions.builder().targetFileBytes(64L << 20).build()).run();
    VacuumResult vacuumed = table.vacuum().context(context).options(VacuumOptions.builder().retention(Duration.ZERO).retentionCheck(false).build()).run();
    assertThat(vacuumed.deleted()).isNotEmpty();
    verify(catalog, acked, context, false);
    assertThat(SparkDelta.rows("SELECT count(*), count(DISTINCT writer, batch, seq) FROM delta.`" + location + "`"))
        .containsExactly((WRITERS * BATCHES * ROWS) + " | " + (WRITERS * BATCHES * ROWS));
  }

  @Test
  void processesOnS3ThroughInjectedFaults() throws Exception {
    String bucket = LocalS3.newBucket();
    String location = "s3://" + bucket + "/ingest";
    try (FaultyProxy proxy = new FaultyProxy(LocalS3.server().port(), 0.15, 11)) {
      Map<String, String> env = Map.of(
          "AWS_ENDPOINT_URL", proxy.endpoint(), "AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY, "AWS_ALLOW_HTTP", "true", "AWS_REGION", "us-east-1",
          "NEURALAKE_S3_MAX_ATTEMPTS", "20", "NEURALAKE_CACHE_DIR", dir.resolve("cache").toString());
      Storage storage = Storage.builder().s3(LocalS3.options()).cache(new FileCache(dir.resolve("tcache"), 1L << 30, Duration.ZERO)).build();
      LakeContext context = new LakeContext(Location.parse("s3://" + bucket + "/"), storage, io.neuralake.engine.Engine.shared());
      DeltaTable table = WriterProcess.table(location);
      table.create(context);
      Map<String, Set<Long>> acked = runWriters(location, env, Set.of("w3"), () -> { });
      Catalog catalog = Catalog.builder("c").storage(storage).database("db", table).build();
      verify(catalog, acked, context, true);
      assertThat(proxy.errorsSent.get() + proxy.resets.get()).as("faults were injected").isPositive();
    }
  }
}
