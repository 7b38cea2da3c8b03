package io.neuralake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server bench end to end at a tiny scale: every case has a row, measured or "not available"
 * (a door this build lacks, a missing driver), never a failure; the in-process read is measured.
 */
class ServerBenchTest {
  @TempDir Path tmp;

  @Test
  void everyDoorAndClientCountIsMeasuredOrReportedNotAvailable() throws Exception {
    Path data = TpchDataset.ensure(tmp.resolve("data"), 0.01);
    String report = ServerBench.run(data, tmp.resolve("data"), new ServerBench.Plan(0.01, 2, 1, List.of(1, 2), 1),
        tmp.resolve("results"));
    String measuredOrNot = " \\| ([0-9.]+ \\| [0-9.]+ |not available: [^|]+\\| +)\\|\n";
    for (int clients : List.of(1, 2)) {
      for (String door : List.of("http", "flight", "pg")) {
        assertThat(report).containsPattern("\\| small aggregate \\| " + door + " \\| " + clients + measuredOrNot);
      }
      assertThat(report).containsPattern("\\| one-partition REST read \\| http \\| " + clients + measuredOrNot);
    }
    assertThat(report).containsPattern("\\| in-process \\(Query.open\\) \\| [0-9.]+ \\| [0-9]+ \\| [0-9,]+ \\| 1.00 \\|");
    assertThat(report).contains("60,175 rows"); // lineitem at SF 0.01
    // the Arrow paths are in this build and must be measured (time, MB/s, rows/s, ratio, CPU s/GB); the JDBC driver
    // may be missing
    String measured = " \\| [0-9.]+ \\| [0-9]+ \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+ \\|\n";
    assertThat(report).containsPattern("\\| http \\(Arrow stream, java.net.http\\)" + measured);
    assertThat(report).containsPattern("\\| http \\(Arrow stream, HttpURLConnection\\)" + measured);
    assertThat(report).containsPattern("\\| flight \\(Arrow FlightSqlClient\\)" + measured);
    assertThat(report).containsPattern("\\| flight \\(JDBC driver, values as Java objects\\) \\| ("
        + measured.substring(4) + "|not available: [^|]+\\| \\| \\| \\| \\|\n)");
    try (var files = Files.list(tmp.resolve("results"))) {
      Path json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      JsonNode tree = new ObjectMapper().readTree(json.toFile());
      assertThat(tree.get("latency")).hasSize(8);
      assertThat(tree.get("throughput")).hasSize(5);
      assertThat(tree.get("throughput").get(0).get("rows").asLong()).isEqualTo(60_175L);
    }
  }
}
