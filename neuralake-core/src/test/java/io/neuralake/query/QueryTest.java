package io.neuralake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.engine.EngineOptions;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query handle on an engine of the test's own: each test ends by closing it, which fails if
 * any Arrow memory of a result was leaked.
 */
class QueryTest {
  /** Hours of work for the engine: only a cancel or a limit ends it within the test's timeout. */
  static final String ENDLESS_AGGREGATE = "SELECT count(*), sum(a.i * b.i) FROM range(1000000) a(i), range(1000000) b(i)";

  @TempDir static Path dir;
  Engine engine;
  Catalog catalog;

  @BeforeAll
  static void data() {
    Fixtures.writeEvents(dir.resolve("events"));
  }

  @BeforeEach
  void start() {
    engine = Engine.create(EngineOptions.fromEnvironment().withMemoryLimit("1GB"));
    catalog = Catalog.builder("c").root(dir.toString()).engine(engine)
        .database("db", ParquetTable.builder("events", "events").build()).build();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void theSchemaIsKnownBeforeItRuns() {
    try (Query q = catalog.prepare("SELECT x, name, v * 2 AS v2 FROM db.events WHERE x < 100")) {
      assertThat(q.schema().names()).containsExactly("x", "name", "v2");
      assertThat(q.sql()).contains("WHERE (x < 100)");
    }
    assertThat(engine.allocator().getAllocatedMemory()).isZero();
  }

  @Test
  void rowsStreamInBatchesAndMatchCollect() throws Exception {
    String sql = "SELECT i, 'row ' || i AS s FROM range(300000) t(i)";
    List<Integer> batches = new ArrayList<>();
    long sum = 0;
    try (Query q = catalog.prepare(sql); ArrowReader r = q.open()) {
      while (r.loadNextBatch()) {
        var root = r.getVectorSchemaRoot();
        batches.add(root.getRowCount());
        for (int i = 0; i < root.getRowCount(); i++) {
          sum += (Long) root.getVector("i").getObject(i);
        }
      }
      assertThat(engine.allocator().getAllocatedMemory()).isPositive();
    }
    assertThat(batches.stream().mapToLong(Integer::longValue).sum()).isEqualTo(300_000);
    assertThat(batches).hasSizeGreaterThan(1).allMatch(n -> n <= 64 * 1024);
    assertThat(sum).isEqualTo(300_000L * 299_999 / 2);
    // a batch at a time: the peak is a batch or two, not the result
    assertThat(engine.allocator().getPeakMemoryAllocation()).isLessThan(300_000L * 16);
    try (DataFrame df = catalog.sql(sql).collect()) {
      assertThat(df.rowCount()).isEqualTo(300_000);
    }
    assertThat(engine.allocator().getAllocatedMemory()).isZero();
  }

  @Test
  void aQueryRunsAgainAfterItsReaderClosesButNotTwiceAtOnce() throws Exception {
    try (Query q = catalog.db("db").table("events").filter(Expr.col("x").lt(10)).prepare()) {
      for (int run = 0; run < 2; run++) {
        try (ArrowReader r = q.open()) {
          long rows = 0;
          while (r.loadNextBatch()) {
            rows += r.getVectorSchemaRoot().getRowCount();
          }
          assertThat(rows).isEqualTo(10);
          assertThatThrownBy(q::open).isInstanceOf(NeuralakeException.class).hasMessageContaining("already running");
        }
      }
    }
  }

  @Test
  void tooManyRowsFailWithTheLimitAndHowToRaiseIt() throws Exception {
    try (Query q = catalog.prepare("SELECT i FROM range(300000) t(i)")) {
      try (ArrowReader r = q.open(QueryLimits.none().withMaxRows(300_000))) {
        drain(r);
      }
      try (ArrowReader r = q.open(QueryLimits.none().withMaxRows(1000))) {
        assertThatThrownBy(() -> drain(r)).isInstanceOfSatisfying(NeuralakeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_LIMIT))
            .hasMessageContaining("more than 1000 rows").hasMessageContaining("QueryLimits.withMaxRows");
      }
    }
    assertThat(engine.allocator().getAllocatedMemory()).isZero();
  }

  @Test
  void aResultOverItsMemoryLimitFails() throws Exception {
    try (Query q = catalog.prepare("SELECT i, repeat('x', 100) AS s FROM range(300000) t(i)");
        ArrowReader r = q.open(QueryLimits.none().withMaxResultBytes(256 * 1024))) {
      assertThatThrownBy(() -> drain(r)).isInstanceOfSatisfying(NeuralakeException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.MEMORY_LIMIT)).hasMessageContaining("QueryLimits.withMaxResultBytes");
    }
    assertThat(engine.allocator().getAllocatedMemory()).isZero();
  }

  @Test
  void aQueryOverItsTimeLimitIsStopped() throws Exception {
    try (Query q = catalog.prepare(ENDLESS_AGGREGATE)) {
      assertThatThrownBy(() -> drain(q.open(QueryLimits.none().withWallTime(Duration.ofMillis(300)))))
          .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIME_LIMIT))
          .hasMessageContaining("time limit of 0.3s").hasMessageContaining("QueryLimits.withWallTime");
    }
    assertUsableAndClean();
  }

  /** The engine computes the aggregate inside open: a cancel from another thread ends it there. */
  @Test
  void cancelStopsAQueryTheEngineIsExecuting() throws Exception {
    try (Query q = catalog.prepare(ENDLESS_AGGREGATE)) {
      AtomicReference<Thread> worker = new AtomicReference<>();
      CompletableFuture<Long> run = drainInBackground(q, worker);
      awaitCpu(worker);
      q.cancel();
      assertThatThrownBy(run::join).cause().isInstanceOfSatisfying(NeuralakeException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
      assertThatThrownBy(q::open).isInstanceOfSatisfying(NeuralakeException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    }
    assertUsableAndClean();
  }

  /** A cancel while the reader takes the result batch by batch fails its next batch. */
  @Test
  void cancelStopsAResultBeingRead() throws Exception {
    try (Query q = catalog.prepare("SELECT i FROM range(1000000) t(i)"); ArrowReader r = q.open()) {
      assertThat(r.loadNextBatch()).isTrue();
      CompletableFuture.runAsync(q::cancel).join();
      assertThatThrownBy(() -> drain(r)).isInstanceOfSatisfying(NeuralakeException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    }
    assertUsableAndClean();
  }

  /** A row limit is the engine's too: a query of endless rows stops one row past it. */
  @Test
  void aRowLimitSparesTheEngineTheRest() throws Exception {
    try (Query q = catalog.prepare("SELECT a.i * b.i AS x FROM range(1000000) a(i), range(1000000) b(i)");
        ArrowReader r = q.open(QueryLimits.none().withMaxRows(10))) {
      assertThatThrownBy(() -> drain(r)).isInstanceOfSatisfying(NeuralakeException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_LIMIT));
    }
    assertUsableAndClean();
  }

  /** The engine's error messages survive the handle (a bad cast names the value). */
  @Test
  void engineErrorsKeepTheirMessage() {
    try (Query q = catalog.prepare("SELECT CAST(name AS INTEGER) AS n FROM db.events")) {
      assertThatThrownBy(q::open).hasMessageContaining("Could not convert string 'name_");
    }
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> QueryLimits.none().withWallTime(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> QueryLimits.none().withMaxRows(-1)).hasMessageContaining("0 or more");
    assertThatThrownBy(() -> QueryLimits.none().withMaxResultBytes(0)).hasMessageContaining("positive");
  }

  private void assertUsableAndClean() {
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM db.events").collect()) {
      assertThat(df.get(0, "n")).isEqualTo(360L);
    }
    assertThat(engine.allocator().getAllocatedMemory()).isZero();
  }

  private static long drain(ArrowReader r) throws java.io.IOException {
    long rows = 0;
    while (r.loadNextBatch()) {
      rows += r.getVectorSchemaRoot().getRowCount();
    }
    return rows;
  }

  /** Opens and reads the query on another thread, which it names in {@code thread}. */
  private static CompletableFuture<Long> drainInBackground(Query q, AtomicReference<Thread> thread) {
    return CompletableFuture.supplyAsync(() -> {
      thread.set(Thread.currentThread());
      try (ArrowReader r = q.open()) {
        return drain(r);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** Waits until the thread has used CPU: it is inside the engine, running the query. */
  private static void awaitCpu(AtomicReference<Thread> thread) throws InterruptedException {
    var threads = ManagementFactory.getThreadMXBean();
    while (thread.get() == null || threads.getThreadCpuTime(thread.get().threadId()) < 200_000_000L) {
      Thread.sleep(10);
    }
  }
}
