package io.neuralake.engine;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.internal.engine.Sessions;
import io.neuralake.sample.TpchData;
import io.neuralake.table.ParquetTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path dir;

  @Test
  void memoryLimitAndThreadsAreApplied() {
    try (Engine engine = Engine.create(new EngineOptions(Optional.of("256MB"), 1, Optional.of(dir)))) {
      Catalog c = Catalog.builder("c").engine(engine).database("d", ParquetTable.builder("t", "x").build()).build();
      try (DataFrame df = c.sql("SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t").collect()) {
        assertThat(df.get(0, "m").toString()).matches("2\\d\\d\\.\\d MiB");
        assertThat(df.get(0, "t")).isEqualTo(1L);
      }
    }
  }

  /** DuckDB's default spill folder is .tmp in the working directory; ours is private and removed on close. */
  @Test
  void spillsGoToAFolderOfTheEnginesOwnThatCloseRemoves() {
    Path spill;
    try (Engine engine = Engine.create(new EngineOptions(Optional.empty(), 0, Optional.empty()))) {
      Catalog c = Catalog.builder("c").engine(engine).database("d", ParquetTable.builder("t", "x").build()).build();
      try (DataFrame df = c.sql("SELECT current_setting('temp_directory') AS t").collect()) {
        spill = Path.of(df.get(0, "t").toString());
      }
      assertThat(spill.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
      assertThat(spill.getFileName().toString()).startsWith("neuralake-spill-");
      assertThat(spill).isDirectory();
    }
    assertThat(spill).doesNotExist();
    try (Engine engine = Engine.create(new EngineOptions(Optional.empty(), 0, Optional.of(dir.resolve("mine"))));
        var session = Sessions.open(engine);
        DataFrame df = session.collect("SELECT current_setting('temp_directory') AS t")) {
      assertThat(df.get(0, "t")).isEqualTo(dir.resolve("mine").toString());
    }
  }

  /**
   * A frame the program keeps (a function table's, handed to every query) outlives nothing it should: the engine
   * closes without calling it a leak, and the frame is freed when collected; a query's result still open is one.
   */
  @Test
  void framesNotClosedAreNotLeaksButOpenResultsAre() throws Exception {
    Engine engine = Engine.create(new EngineOptions(Optional.empty(), 0, Optional.empty()));
    DataFrame kept;
    try (var session = Sessions.open(engine)) {
      kept = session.collect("SELECT range AS i FROM range(1000)");
    }
    engine.close();
    assertThat(kept.rowCount()).isEqualTo(1000);
    kept.close();

    Engine other = Engine.create(new EngineOptions(Optional.empty(), 0, Optional.empty()));
    org.apache.arrow.memory.BufferAllocator result = other.allocator().newChildAllocator("query-open", 0, Long.MAX_VALUE);
    result.buffer(64);
    assertThatThrownBy(other::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("query-open");
  }

  @Test
  void badOptionsAreRejected() {
    assertThatThrownBy(() -> new EngineOptions(Optional.of("lots"), 0, Optional.empty()))
        .hasMessageContaining("memory limit 'lots' is not valid");
    assertThatThrownBy(() -> EngineOptions.fromEnvironment().withThreads(-1)).hasMessageContaining("threads");
  }

  /** A small result never brings the table into the JVM: Arrow memory stays at the result's size. */
  @Test
  void aSmallResultDoesNotPullTheTableIntoTheJvm() throws Exception {
    TpchData.writeTable("orders", dir.resolve("orders"), 0.1, 1_000_000);
    long tableBytes;
    try (Stream<Path> files = Files.list(dir.resolve("orders"))) {
      tableBytes = files.mapToLong(p -> p.toFile().length()).sum();
    }
    try (Engine engine = Engine.create(EngineOptions.fromEnvironment())) {
      Catalog c = Catalog.builder("c").root(dir.toString()).engine(engine)
          .database("tpch", ParquetTable.builder("orders", "orders").build()).build();
      long heapBefore = usedHeap();
      try (DataFrame df = c.db("tpch").table("orders").groupBy("o_orderstatus")
          .agg(col("o_totalprice").sum().as("total"), Expr.countRows()).collect()) {
        assertThat(df.rowCount()).isEqualTo(3);
        assertThat(df.column("count").stream().mapToLong(v -> (Long) v).sum()).isEqualTo(150_000);
      }
      long arrowPeak = engine.allocator().getPeakMemoryAllocation();
      assertThat(tableBytes).isGreaterThan(3_000_000);
      assertThat(arrowPeak).isLessThan(64 * 1024);
      // the JVM heap does not grow by anything near the table's size either
      assertThat(usedHeap() - heapBefore).isLessThan(tableBytes * 4);
    }
  }

  private static long usedHeap() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
