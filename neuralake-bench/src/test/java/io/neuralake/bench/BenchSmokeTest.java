package io.neuralake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end at a tiny scale: every system runs every query it has, in its own worker
 * process, and all answers agree. Speed is not checked here; the harness reports it.
 */
class BenchSmokeTest {
  @TempDir Path tmp;

  @Test
  void tpchAnswersAgreeAcrossNeuralakeDuckDbSparkAndSparkThroughTheConnector() throws Exception {
    Path data = TpchDataset.ensure(tmp.resolve("data"), 0.01);
    assertThat(TpchDataset.ensure(tmp.resolve("data"), 0.01)).isEqualTo(data); // generated once
    // spark-neuralake: the 22 queries through the Spark connector must answer as the embedded engine does
    List<String> systems = List.of("neuralake", "neuralake-frame", "duckdb", "spark", "spark-neuralake");
    BenchConfig config = new BenchConfig(data.toString(), 0.01, "", tmp.resolve("cache").toString(), 2);
    Suite.Plan plan = new Suite.Plan("smoke", config, systems, TpchQueries.ids(), 1, 1, "1g", Map.of(), Set.copyOf(systems));
    Suite.Result result = Suite.run(plan, tmp.resolve("logs"));

    assertThat(result.problems()).isEmpty();
    for (String q : TpchQueries.ids()) {
      for (String s : List.of("neuralake", "duckdb", "spark", "spark-neuralake")) {
        assertThat(result.nanos().get(s).get(q)).as(s + " " + q).hasSize(1);
      }
    }
    assertThat(result.nanos().get("neuralake-frame").keySet()).containsExactly("q01", "q03", "q06");
    assertThat(result.rows().get("neuralake").get("q01")).isEqualTo(4);

    String report = Report.write(result, "neuralake", Map.of(), tmp.resolve("results"), "smoke");
    assertThat(report).contains("| q22 |").contains("geometric mean").contains("every system returned the same rows");
    try (var files = Files.list(tmp.resolve("results"))) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".json")).anyMatch(n -> n.endsWith(".md"));
    }
  }

  @Test
  void s3SuiteComparesColdWarmAndRawReads() throws Exception {
    Path root = tmp.resolve("data");
    Path data = TpchDataset.ensure(root, 0.01);
    Map<String, String> env = new java.util.HashMap<>();
    try (var server = BenchMain.S3Data.start(root, data, env)) {
      BenchConfig config = new BenchConfig(data.toString(), 0.01, BenchMain.S3Data.location(data),
          tmp.resolve("cache").toString(), 2);
      List<String> systems = List.of("neuralake", "neuralake-s3-warm", "neuralake-s3-cold", "sdk-get");
      Suite.Plan plan = new Suite.Plan("s3-smoke", config, systems, List.of("scan-lineitem", "q06"), 1, 2, "1g", env,
          Set.of("neuralake", "neuralake-s3-warm", "neuralake-s3-cold"));
      Suite.Result result = Suite.run(plan, tmp.resolve("logs"));
      assertThat(result.problems()).isEmpty();
      assertThat(result.nanos().get("sdk-get")).containsOnlyKeys("scan-lineitem");
      assertThat(result.nanos().get("neuralake-s3-cold").get("q06")).hasSize(2);
    }
  }
}
