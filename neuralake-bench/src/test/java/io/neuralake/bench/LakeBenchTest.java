package io.neuralake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The lake suite's pure logic: layouts, queries and options (no lake is written, nothing timed). */
class LakeBenchTest {
  @Test
  void layoutsAreTheMostSquareSplitOfThePartitionCount() {
    assertThat(LakeBench.Layout.of(100)).isEqualTo(new LakeBench.Layout(10, 10));
    assertThat(LakeBench.Layout.of(1000)).isEqualTo(new LakeBench.Layout(25, 40));
    assertThat(LakeBench.Layout.of(10_000)).isEqualTo(new LakeBench.Layout(100, 100));
    assertThat(LakeBench.Layout.of(7)).isEqualTo(new LakeBench.Layout(1, 7));
    assertThatThrownBy(() -> LakeBench.Layout.of(0)).hasMessageContaining("at least 1");
  }

  @Test
  void queriesPickAPartitionInTheMiddle() {
    LakeBench.Layout layout = LakeBench.Layout.of(100);
    assertThat(layout.queries()).containsOnlyKeys("one-partition", "one-day", "day-range");
    assertThat(layout.queries().get("one-partition")).contains("implant_id = 5 AND date = '2024-01-06'");
    assertThat(layout.queries().get("day-range")).contains("date >= '2024-01-06' AND date <= '2024-01-10'");
  }

  @Test
  void theDeltaRowsCoverEveryPartitionOnce() {
    LakeBench.Layout layout = LakeBench.Layout.of(6);
    var rows = LakeBench.rows(layout);
    assertThat(rows.get("implant_id")).hasSize(6 * LakeBench.ROWS_PER_PARTITION);
    assertThat(new java.util.HashSet<Object>(rows.get("date"))).containsExactlyInAnyOrder("2024-01-01", "2024-01-02", "2024-01-03");
    assertThat(rows.get("implant_id").get(3 * LakeBench.ROWS_PER_PARTITION)).isEqualTo(1L);
    assertThat(rows.get("v").get(LakeBench.ROWS_PER_PARTITION + 1)).isEqualTo(1001.0);
  }

  @Test
  void storesAreLocalOrS3() {
    assertThat(LakeBench.stores("local,s3,local")).containsExactly("local", "s3");
    assertThatThrownBy(() -> LakeBench.stores("gcs")).hasMessageContaining("--store gcs");
  }

  @Test
  void badOptionsAreRefusedBeforeAnyWork() {
    CommandLine cli = new CommandLine(new BenchMain());
    cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
    assertThat(cli.execute("lake", "--store", "hdfs")).isEqualTo(2);
    assertThat(cli.execute("lake", "--partitions", "0")).isEqualTo(2);
    assertThat(cli.execute("lake", "--runs", "0")).isEqualTo(2);
    CommandLine.ParseResult parsed = new CommandLine(new BenchMain()).parseArgs("lake", "--partitions", "100,1000");
    assertThat(parsed.subcommand().matchedOptionValue("--partitions", List.of())).isEqualTo(List.of(100, 1000));
  }
}
