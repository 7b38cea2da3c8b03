package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.table.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time travel in SQL ({@code AT (VERSION => n)}, {@code AT (TIMESTAMP => t)}) and by timestamp, at its edges. */
class DeltaTimeTravelTest {
  @TempDir static Path dir;
  static Catalog catalog;

  /** Version v (0 creates the table, 1-3 append 10 rows each) was committed at midnight UTC of 2024-01-0(v+1). */
  static Instant committed(int version) {
    return Instant.parse("2024-01-0" + (version + 1) + "T00:00:00Z");
  }

  @BeforeAll
  static void threeAppends() throws Exception {
    DeltaTable table = DeltaTable.builder("events", "events").schema(DeltaStreamingAndMaintenanceTest.EVENTS)
        .partitionedBy("region").build();
    catalog = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    table.create(catalog.context());
    for (int i = 0; i < 3; i++) {
      table.append(Frame.fromRows(DeltaStreamingAndMaintenanceTest.rows(i * 10L, i * 10L + 10, i == 2 ? "us" : "eu"))).context(catalog.context()).commit();
    }
    DeltaWrites.awaitHooks();
    // a commit's time is its log file's modification time (no in-commit timestamps): fixed ones make times exact
    for (int v = 0; v <= 3; v++) {
      Files.setLastModifiedTime(dir.resolve("events/_delta_log/%020d.json".formatted(v)), FileTime.from(committed(v)));
    }
    DeltaTable.clearCaches();
  }

  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private static long count(String sql) {
    try (DataFrame df = catalog.sql(sql).collect()) {
      return ((Number) df.get(0, df.columnNames().get(0))).longValue();
    }
  }

  @Test
  void atVersionReadsThatVersion() {
    assertThat(count("SELECT count(*) FROM db.events")).isEqualTo(30);
    assertThat(count("SELECT count(*) FROM db.events AT (VERSION => 1)")).isEqualTo(10);
    assertThat(count("SELECT count(*) FROM events AT (VERSION => 2) WHERE region = 'eu'")).as("pruned at that version")
        .isEqualTo(20);
    assertThat(count("SELECT count(*) FROM db.events AT (VERSION => 0)")).isZero();
  }

  @Test
  void oneTableAtTwoVersionsInOneQuery() {
    assertThat(count("SELECT count(*) FROM db.events AT (VERSION => 3)"
        + " WHERE id NOT IN (SELECT id FROM db.events AT (VERSION => 1))")).as("rows added after version 1").isEqualTo(20);
    assertThat(count("SELECT count(*) FROM db.events AS a AT (VERSION => 2)"
        + " JOIN db.events AS b AT (VERSION => 1) ON a.id = b.id")).isEqualTo(10);
    assertThat(count("SELECT (SELECT count(*) FROM db.events) - (SELECT count(*) FROM db.events AT (VERSION => 2))"))
        .isEqualTo(10);
  }

  @Test
  void atTimestampReadsTheVersionCurrentThen() {
    assertThat(count("SELECT count(*) FROM db.events AT (TIMESTAMP => '2024-01-02 00:00:00')")).isEqualTo(10);
    assertThat(count("SELECT count(*) FROM db.events AT (TIMESTAMP => TIMESTAMP '2024-01-03 12:00:00')")).isEqualTo(20);
    assertThat(count("SELECT count(*) FROM db.events AT (TIMESTAMP => '2024-01-03 01:00:00+02')"))
        .as("a zone is honoured: 23:00 UTC on 2024-01-02").isEqualTo(10);
    assertThat(catalog.db("db").table("events", ReadOptions.builder().timestamp(committed(3)).build()).count())
        .as("exactly the last commit's time").isEqualTo(30);
  }

  @Test
  void aTimestampAfterTheLastCommitIsAnError() {
    Instant later = committed(3).plusSeconds(1);
    assertThatThrownBy(() -> catalog.db("db").table("events", ReadOptions.builder().timestamp(later).build()).count())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_NOT_FOUND))
        .hasMessageContaining("table 'events'").hasMessageContaining(later.toString())
        .hasMessageContaining("after the last commit").hasMessageContaining("version 3")
        .hasMessageContaining(committed(3).toString());
    assertThatThrownBy(() -> count("SELECT count(*) FROM db.events AT (TIMESTAMP => now())"))
        .hasMessageContaining("after the last commit");
  }

  @Test
  void badVersionsAndTimesAreNamed() {
    assertThatThrownBy(() -> count("SELECT count(*) FROM db.events AT (VERSION => 99)"))
        .hasMessageContaining("events").hasMessageContaining("99")
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.VERSION_NOT_FOUND));
    for (String bad : List.of("1.5", "'x'", "NULL")) {
      assertThatThrownBy(() -> count("SELECT count(*) FROM db.events AT (VERSION => " + bad + ")"))
          .as(bad).isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessageContaining("AT (VERSION => ...) on db.events").hasMessageContaining("whole number");
    }
    assertThatThrownBy(() -> count("SELECT count(*) FROM db.events AT (VERSION => -1)"))
        .hasMessageContaining("0 or more");
    assertThatThrownBy(() -> count("SELECT count(*) FROM db.events AT (TIMESTAMP => 'yesterday-ish')"))
        .hasMessageContaining("AT (TIMESTAMP => ...) on db.events").hasMessageContaining("yesterday-ish");
    assertThatThrownBy(() -> count("SELECT count(*) FROM db.events AT (TIMESTAMP => '2023-12-31')"))
        .as("before the first commit").hasMessageContaining("events");
  }
}
