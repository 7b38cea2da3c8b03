package io.neuralake.table;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filters;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A table whose plan is a stream of Arrow batches (how relational and remote sources will read):
 * the engine reads the batches as they are produced, once per query, and typing or explaining a
 * query never opens the stream.
 */
class ArrowStreamScanTest {
  static final BufferAllocator ALLOCATOR = new RootAllocator();
  static final int BATCHES = 50;
  static final int ROWS_PER_BATCH = 1_000;
  static final AtomicInteger opened = new AtomicInteger();
  static final AtomicInteger batchesProduced = new AtomicInteger();

  /** Rows (id, parity) produced batch by batch on demand: nothing is held but the current batch. */
  static final class Generated extends ArrowReader {
    private final org.apache.arrow.vector.types.pojo.Schema schema;
    private final List<String> columns;
    private final long maxRows;
    private final int failAt;
    private int next;

    Generated(BufferAllocator allocator, List<String> columns) {
      this(allocator, columns, Long.MAX_VALUE, -1);
    }

    /** Only the first {@code maxRows} rows. */
    Generated(BufferAllocator allocator, List<String> columns, long maxRows) {
      this(allocator, columns, maxRows, -1);
    }

    /** Only the first {@code maxRows} rows, failing when asked for batch {@code failAt} (-1: never). */
    Generated(BufferAllocator allocator, List<String> columns, long maxRows, int failAt) {
      super(allocator);
      this.failAt = failAt;
      this.columns = columns;
      this.maxRows = maxRows;
      List<org.apache.arrow.vector.types.pojo.Field> fields = columns.stream().map(c -> !c.equals("parity")
          ? new org.apache.arrow.vector.types.pojo.Field(c, FieldType.nullable(new ArrowType.Int(64, true)), null)
          : new org.apache.arrow.vector.types.pojo.Field(c, FieldType.nullable(ArrowType.Utf8.INSTANCE), null)).toList();
      this.schema = new org.apache.arrow.vector.types.pojo.Schema(fields);
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      long start = (long) next * ROWS_PER_BATCH;
      if (next == BATCHES || start >= maxRows) {
        return false;
      }
      if (next == failAt) {
        throw new java.io.IOException("the source of broke_" + failAt + " lost its connection at batch " + next);
      }
      int rows = (int) Math.min(ROWS_PER_BATCH, maxRows - start);
      VectorSchemaRoot root = getVectorSchemaRoot();
      root.allocateNew();
      for (int i = 0; i < rows; i++) {
        long id = (long) next * ROWS_PER_BATCH + i;
        if (columns.contains("id")) {
          ((BigIntVector) root.getVector("id")).setSafe(i, id);
        }
        if (columns.contains("square")) {
          ((BigIntVector) root.getVector("square")).setSafe(i, id * id);
        }
        if (columns.contains("parity")) {
          ((VarCharVector) root.getVector("parity")).setSafe(i, (id % 2 == 0 ? "even" : "odd").getBytes());
        }
      }
      root.setRowCount(rows);
      next++;
      batchesProduced.incrementAndGet();
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {}

    @Override
    protected org.apache.arrow.vector.types.pojo.Schema readSchema() {
      return schema;
    }
  }

  /** A function-table-like source: its plan is a stream whose columns it promises up front. */
  static TableDefinition streamed(String name, Schema promised, List<String> produced) {
    return streamed(name, promised, produced, -1);
  }

  /** A source of {@code produced} that fails when asked for batch {@code failAt} (-1: never). */
  static TableDefinition streamed(String name, Schema promised, List<String> produced, int failAt) {
    return streamed(name, promised, (options, pruning) -> new ScanPlan.OfArrow(promised, () -> {
      opened.incrementAndGet();
      return new Generated(ALLOCATOR, produced, Long.MAX_VALUE, failAt);
    }, ScanPlan.ScanStats.of("generated")));
  }

  /** A source declaring {@code promised} whose reads {@code planner} plans from their options and pruning. */
  static TableDefinition streamed(String name, Schema promised,
      java.util.function.BiFunction<ReadOptions, Filters, ScanPlan> planner) {
    return new TableDefinition() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String kind() {
        return "stream";
      }

      @Override
      public TableMetadata metadata() {
        return TableMetadata.empty();
      }

      @Override
      public java.util.Optional<Schema> declaredSchema() {
        return java.util.Optional.of(promised);
      }

      @Override
      public ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) {
        return planner.apply(options, pruning);
      }
    };
  }

  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("parity", DataType.STRING));
  static final Catalog CATALOG = Catalog.builder("c").database("db", streamed("numbers", SCHEMA, List.of("id", "parity")),
      streamed("broken", SCHEMA, List.of("id")), streamed("broke_0", SCHEMA, List.of("id", "parity"), 0),
      streamed("broke_3", SCHEMA, List.of("id", "parity"), 3)).build();

  @AfterAll
  static void close() {
    ALLOCATOR.close();
  }

  @Test
  void theEngineReadsTheStreamWhenTheQueryRuns() {
    opened.set(0);
    batchesProduced.set(0);
    var q = CATALOG.db("db").table("numbers").filter(col("parity").eq("odd")).agg(col("id").sum().as("s"), Expr.countRows());
    assertThat(q.schema().names()).containsExactly("s", "count");
    assertThat(q.explain()).contains("an Arrow stream of db.numbers");
    assertThat(opened).as("typing and explaining never open the stream").hasValue(0);
    long n = (long) BATCHES * ROWS_PER_BATCH;
    try (DataFrame df = q.collect()) {
      assertThat(((Number) df.get(0, "count")).longValue()).isEqualTo(n / 2);
      assertThat(((Number) df.get(0, "s")).longValue()).isEqualTo(n * n / 4);
    }
    assertThat(opened).hasValue(1);
    assertThat(batchesProduced).hasValue(BATCHES);
  }

  @Test
  void eachReadOfTheTableInOneQueryGetsItsOwnStream() {
    opened.set(0);
    var numbers = CATALOG.db("db").table("numbers");
    try (DataFrame df = numbers.join(numbers.select("id"), "id").agg(Expr.countRows()).collect()) {
      assertThat(((Number) df.get(0, "count")).longValue()).isEqualTo((long) BATCHES * ROWS_PER_BATCH);
    }
    assertThat(opened).hasValue(2);
    try (DataFrame df = CATALOG.sql("SELECT count(*) AS n FROM db.numbers WHERE id < 10").collect()) {
      assertThat(((Number) df.get(0, "n")).longValue()).isEqualTo(10);
    }
  }

  @Test
  void aStreamWithoutThePromisedColumnsIsNamed() {
    assertThatThrownBy(() -> CATALOG.db("db").table("broken").collect())
        .hasMessageContaining("table db.broken: its Arrow source has no column(s) parity");
  }

  @Test
  void aStreamThatFailsIsReportedWithItsOwnError() {
    // the engine drops a source's error before the first rows, and quotes it at best later
    for (String t : List.of("broke_0", "broke_3")) {
      assertThatThrownBy(() -> CATALOG.db("db").table(t).collect()).as(t)
          .hasMessageContaining("the source of " + t + " lost its connection at batch");
    }
  }
}
