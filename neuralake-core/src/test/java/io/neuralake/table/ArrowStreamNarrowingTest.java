package io.neuralake.table;

import static io.neuralake.table.ArrowStreamScanTest.ALLOCATOR;
import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filters;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.JoinType;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream that can read fewer columns (as a remote database can) is asked, for a SQL query, for
 * only the columns the query names; never for fewer than it uses, whatever the query's shape.
 */
class ArrowStreamNarrowingTest {
  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("parity", DataType.STRING),
      Field.of("square", DataType.INT64));
  /** The columns of each stream opened, in order. */
  static final List<List<String>> OPENED = new ArrayList<>();
  /** The row limit of each stream opened (-1: none). */
  static final List<Long> LIMITS = new ArrayList<>();

  /** A read of the wide table; {@code filtered}: planned with filters, which this source leaves to the engine. */
  static ScanPlan.OfArrow stream(ScanPlan.Narrowing read, boolean filtered) {
    if (filtered && read.limit().isPresent()) {
      throw new IllegalStateException("a limit for a read whose filters the engine applies: it would drop rows");
    }
    List<String> columns = read.columns();
    long limit = read.limit().orElse(-1);
    return new ScanPlan.OfArrow(SCHEMA.select(columns), () -> {
      synchronized (OPENED) {
        OPENED.add(columns);
        LIMITS.add(limit);
      }
      return new ArrowStreamScanTest.Generated(ALLOCATOR, columns, limit < 0 ? Long.MAX_VALUE : limit);
    }, ScanPlan.ScanStats.of("reads " + columns + (limit < 0 ? "" : " limit " + limit)),
        r -> stream(r, filtered));
  }

  static final TableDefinition WIDE = ArrowStreamScanTest.streamed("wide", SCHEMA, (options, pruning) ->
      stream(new ScanPlan.Narrowing(SCHEMA.names(), java.util.OptionalLong.empty()),
          !options.filters().isEmpty() || !pruning.isEmpty()));

  static final Catalog CATALOG = Catalog.builder("c").database("db", WIDE).build();

  @BeforeEach
  void clear() {
    OPENED.clear();
    LIMITS.clear();
  }

  private static List<Object> column(String sql) {
    try (DataFrame df = CATALOG.sql(sql).collect()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < df.rowCount(); i++) {
        out.add(df.get(i, df.schema().names().get(0)));
      }
      return out;
    }
  }

  @Test
  void aQueryReadsOnlyTheColumnsItNames() {
    assertThat(column("SELECT w.parity FROM db.wide AS w WHERE w.id < 3 ORDER BY w.id"))
        .containsExactly("even", "odd", "even");
    assertThat(OPENED).containsExactly(List.of("id", "parity"));
  }

  @Test
  void namesMatchWhateverTheirCase() {
    assertThat(column("SELECT SQUARE FROM db.wide WHERE ID = 7")).containsExactly(49L);
    assertThat(OPENED).containsExactly(List.of("id", "square"));
  }

  @Test
  void aCountReadsOneColumn() {
    assertThat(column("SELECT count(*) FROM db.wide")).containsExactly(50_000L);
    assertThat(OPENED).containsExactly(List.of("id"));
  }

  @Test
  void whatReadsColumnsWithoutNamingThemReadsThemAll() {
    List<String> all = SCHEMA.names();
    for (String sql : List.of("SELECT * FROM db.wide WHERE id = 1",
        "SELECT w FROM db.wide AS w WHERE w.id = 1",
        "SELECT COLUMNS('s.*') FROM db.wide WHERE id = 1",
        "SELECT #3 FROM db.wide WHERE id = 1",
        "SELECT a.id FROM db.wide a NATURAL JOIN db.wide b WHERE a.id = 1",
        "SELECT id FROM db.wide WHERE EXISTS (SELECT * FROM db.wide WHERE id = 2) AND id = 1")) {
      OPENED.clear();
      assertThat(column(sql)).as(sql).hasSize(1);
      assertThat(OPENED).as(sql).isNotEmpty().allSatisfy(c -> assertThat(c).isEqualTo(all));
    }
  }

  @Test
  void aNameInASubqueryCountsForEveryTable() {
    assertThat(column("SELECT id FROM db.wide WHERE id IN (SELECT square FROM db.wide WHERE square < 10) ORDER BY id"))
        .containsExactly(0L, 1L, 4L, 9L);
    assertThat(OPENED).hasSize(2).allSatisfy(c -> assertThat(c).isEqualTo(List.of("id", "square")));
  }

  private static List<Object> column(io.neuralake.frame.Frame frame) {
    try (DataFrame df = frame.collect()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < df.rowCount(); i++) {
        out.add(df.get(i, df.schema().names().get(0)));
      }
      return out;
    }
  }

  @Test
  void aFrameReadsOnlyTheColumnsItUses() {
    var wide = CATALOG.db("db").table("wide");
    assertThat(column(wide.filter(col("id").lt(3)).sort("id").select("square"))).containsExactly(0L, 1L, 4L);
    assertThat(OPENED).containsExactly(List.of("id", "square"));
    OPENED.clear();
    assertThat(column(wide.agg(Expr.countRows()))).containsExactly(50_000L);
    assertThat(OPENED).containsExactly(List.of("id"));
    OPENED.clear();
    assertThat(column(wide.withColumn(col("square").plus(1).as("next")).filter(col("id").eq(2)).select("next")))
        .containsExactly(5L);
    assertThat(OPENED).containsExactly(List.of("id", "square"));
  }

  @Test
  void aJoinKeepsItsNamesWhenEachSideIsNarrowed() {
    var wide = CATALOG.db("db").table("wide");
    var small = wide.filter(col("id").lt(3));
    // ids 0..2 joined to the squares 0 and 1 (ids 0 and 1); both sides have parity: the right one is
    // parity_right, which needs parity kept on the left too
    assertThat(column(small.join(wide, JoinType.INNER, "id", "square").sort("id").select("parity_right")))
        .containsExactly("even", "odd");
    assertThat(OPENED).hasSize(2).allSatisfy(c -> assertThat(c).contains("parity"));
  }

  @Test
  void whatAFrameCannotNameReadsEverything() {
    var wide = CATALOG.db("db").table("wide");
    assertThat(column(wide.filter(Expr.sql("id < 2")).select("id"))).containsExactlyInAnyOrder(0L, 1L);
    assertThat(OPENED).containsExactly(SCHEMA.names());
    OPENED.clear();
    assertThat(column(wide.unique().filter(col("id").eq(1)).select("parity"))).containsExactly("odd");
    assertThat(OPENED).containsExactly(SCHEMA.names());
  }

  @Test
  void aQueryOfTheFirstRowsReadsOnlyThose() {
    assertThat(column("SELECT * FROM db.wide LIMIT 5")).hasSize(5);
    assertThat(column("SELECT w.square, id FROM db.wide AS w LIMIT 2 OFFSET 3")).containsExactly(9L, 16L);
    assertThat(LIMITS).containsExactly(5L, 5L);
    LIMITS.clear();
    var wide = CATALOG.db("db").table("wide");
    assertThat(column(wide.select(col("id").plus(1).as("n")).limit(3))).containsExactly(1L, 2L, 3L);
    assertThat(LIMITS).containsExactly(3L);
  }

  @Test
  void aQueryThatNeedsOtherRowsReadsThemAll() {
    long n = (long) ArrowStreamScanTest.BATCHES * ArrowStreamScanTest.ROWS_PER_BATCH;
    assertThat(column("SELECT id FROM db.wide WHERE id >= 40000 LIMIT 2")).hasSize(2);
    assertThat(column("SELECT sum(id) AS s FROM db.wide LIMIT 2")).extracting(v -> ((Number) v).longValue())
        .containsExactly(n * (n - 1) / 2);
    assertThat(column("SELECT id FROM db.wide ORDER BY id DESC LIMIT 1")).containsExactly(n - 1);
    assertThat(column("SELECT DISTINCT parity FROM db.wide LIMIT 2")).hasSize(2);
    assertThat(column("SELECT id, count(*) OVER () AS c FROM db.wide LIMIT 1")).hasSize(1);
    assertThat(column("SELECT id + 0 AS id FROM db.wide LIMIT 1")).hasSize(1);
    assertThat(column("SELECT a.id FROM db.wide a JOIN db.wide b ON a.id = b.square LIMIT 3")).hasSize(3);
    var wide = CATALOG.db("db").table("wide");
    assertThat(column(wide.filter(col("id").ge(40_000)).limit(2))).hasSize(2);
    assertThat(column(wide.sort(io.neuralake.frame.SortKey.desc("id")).limit(1))).containsExactly(n - 1);
    assertThat(column(wide.select(col("id").sum().as("s")).limit(1))).extracting(v -> ((Number) v).longValue())
        .containsExactly(n * (n - 1) / 2);
    assertThat(column(wide.withColumn(Expr.sql("count(*) OVER ()").as("c")).limit(1))).hasSize(1);
    assertThat(column(wide.select(Expr.call("max", col("id")).as("m")).limit(1))).extracting(v -> ((Number) v).longValue())
        .containsExactly(n - 1);
    assertThat(LIMITS).isNotEmpty().containsOnly(-1L);
  }

  @Test
  void explainShowsTheNarrowedRead() {
    assertThat(CATALOG.sql("SELECT parity FROM db.wide").explain()).contains("reads [parity]");
  }
}
