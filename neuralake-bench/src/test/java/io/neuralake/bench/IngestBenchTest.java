package io.neuralake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestion harness at a tiny scale: writer processes warm up together and then append, and
 * bulk appends run again and again in one worker. Speed is not checked here; the harness reports it.
 */
class IngestBenchTest {
  @TempDir Path tmp;

  @Test
  void writerProcessesWarmUpTogetherThenCommitEveryAppend() throws Exception {
    LakeContext context = new LakeContext(Location.ofPath(tmp), Storage.shared(), Engine.shared());
    Map<String, String> env = Map.of("NEURALAKE_COMMIT_LOCK_DIR", tmp.resolve("commit-locks").toString());
    // a zero limit: one warm-up round, on a table of its own, before the measured appends
    IngestBench.Run run = IngestBench.processLatencies(context, tmp.toString(), env, tmp, "measured", 2, 5, 10, 20,
        Duration.ofMillis(50), true, Duration.ZERO, List.of("-XX:TieredStopAtLevel=1"));

    assertThat(run.latencies()).hasSize(10).allSatisfy(ms -> assertThat(ms).isPositive());
    assertThat(run.versions()).isNotEmpty();
    assertThat(run.cpuNanos()).isPositive();
    Catalog catalog = Catalog.builder("c").root(tmp.toString())
        .database("db", IngestBench.table("measured", 10))
        .database("warm", IngestBench.table("measured-warm-up-0", 10)).build();
    for (String db : List.of("db", "warm")) {
      try (DataFrame count = catalog.sql("SELECT count(*) AS n FROM " + db + ".events").collect()) {
        assertThat(((Number) count.rows().get(0).get("n")).longValue()).as(db).isEqualTo(100); // 2 writers x 5 appends x 10 rows
      }
    }
  }

  @Test
  void bulkAppendsRunAgainAndAgainInOneWorker() throws Exception {
    Path data = TpchDataset.ensure(tmp.resolve("data"), 0.01);
    BenchConfig config = new BenchConfig(data.toString(), 0.01, "", tmp.resolve("work").toString(), 2);
    List<String> systems = List.of("neuralake-append", "duckdb-copy");
    // several warm-ups and runs: each run's table is deleted and appended to afresh
    Suite.Plan plan = new Suite.Plan("ingest-smoke", config, systems, List.of("append-orders"), 3, 2, "1g", Map.of(), Set.of());
    Suite.Result result = Suite.run(plan, tmp.resolve("logs"));

    assertThat(result.problems()).isEmpty();
    for (String s : systems) {
      assertThat(result.nanos().get(s).get("append-orders")).as(s).hasSize(2);
    }
  }
}
