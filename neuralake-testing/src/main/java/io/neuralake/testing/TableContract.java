package io.neuralake.testing;

import io.neuralake.NeuralakeException;
import io.neuralake.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every table kind must do: a kind's test extends this and stores {@link #ROWS} (and an empty
 * table with the same columns) its own way. Columns: {@code id} (int64), {@code part} (string, the
 * partition column where the kind has partitions), {@code v} (float64), {@code name} (string).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TableContract {
  /** Thirty rows over three parts. */
  protected static final List<Map<String, Object>> ROWS = rows();

  /** Static: JUnit fills instance fields only after a per-class {@code @BeforeAll} has run. */
  @TempDir protected static Path dir;
  private Catalog catalog;
  private TableDefinition table;
  private TableDefinition empty;

  /** The table of {@link #ROWS}, named {@code name}, with its data under {@code dir} if it has any. */
  protected abstract TableDefinition create(Path dir, String name) throws Exception;

  /** A table with the same columns and no rows. */
  protected abstract TableDefinition createEmpty(Path dir, String name) throws Exception;

  /** The catalog the tables are read through; kinds that need more (a module's context) override it. */
  protected Catalog catalog(Path root, TableDefinition... tables) {
    return Catalog.builder("contract").root(root.toString()).database("db", tables).build();
  }

  private static List<Map<String, Object>> rows() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (long i = 0; i < 30; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", i);
      row.put("part", List.of("a", "b", "c").get((int) (i % 3)));
      row.put("v", i * 0.5);
      row.put("name", "name " + i);
      out.add(row);
    }
    return List.copyOf(out);
  }

  @BeforeAll
  void createTables() throws Exception {
    table = create(dir, "t");
    empty = createEmpty(dir, "empty");
    catalog = catalog(dir, table, empty);
  }

  /** Rows as sorted, comparable strings, whatever order and column order the kind returns them in. */
  private static List<String> canonical(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> new TreeMap<>(r).toString()).sorted().toList();
  }

  private static List<String> rowsOf(Frame frame) {
    try (DataFrame df = frame.collect()) {
      return canonical(df.rows());
    }
  }

  private static List<String> expected(Predicate<Map<String, Object>> keep) {
    return canonical(ROWS.stream().filter(keep).toList());
  }

  @Test
  void itSaysItsNameKindAndMetadata() {
    assertThat(table.name()).isEqualTo("t");
    assertThat(table.kind()).matches("[a-z]+");
    assertThat(table.metadata()).isNotNull();
    assertThat(table.location()).isNotNull();
    assertThat(table.partitions()).allSatisfy(p -> assertThat(ROWS.get(0)).containsKey(p.column()));
    // a catalog may hand out the declaration bound to its own context (Delta tables write through it)
    assertThat(catalog.db("db").definition("t")).satisfies(d -> {
      assertThat(d.name()).isEqualTo(table.name());
      assertThat(d.kind()).isEqualTo(table.kind());
      assertThat(d.location()).isEqualTo(table.location());
    });
  }

  @Test
  void aReadWithoutFiltersReturnsEveryRow() {
    assertThat(rowsOf(catalog.db("db").table("t"))).containsExactlyElementsOf(expected(r -> true));
    assertThat(rowsOf(catalog.sql("SELECT * FROM db.t"))).containsExactlyElementsOf(expected(r -> true));
  }

  @Test
  void aReadsOwnFiltersAreApplied() {
    assertThat(rowsOf(catalog.db("db").table("t", Filter.eq("part", "b"))))
        .containsExactlyElementsOf(expected(r -> r.get("part").equals("b")));
    assertThat(rowsOf(catalog.db("db").table("t", Filter.lt("id", 7), Filter.in("part", "a", "c"))))
        .containsExactlyElementsOf(expected(r -> (Long) r.get("id") < 7 && !r.get("part").equals("b")));
    assertThat(rowsOf(catalog.db("db").table("t", List.of(List.of(Filter.eq("part", "a")), List.of(Filter.eq("id", 1L))))))
        .containsExactlyElementsOf(expected(r -> r.get("part").equals("a") || r.get("id").equals(1L)));
  }

  @Test
  void pruningFiltersNeverChangeTheResult() {
    for (String where : List.of("part = 'a'", "part IN ('a', 'c')", "part <> 'b'", "part > 'a'", "part = 'zzz'",
        "id < 10", "id BETWEEN 5 AND 12", "v >= 7.5", "name = 'name 7'", "part = 'a' OR id = 1",
        "(part = 'a' AND id > 20) OR (part = 'c' AND id < 3)", "part = 'a' AND part = 'b'",
        "contains(part, 'c')", "part = CAST('b' AS VARCHAR)", "part IS NULL", "part NOT IN ('a')")) {
      // the same query over a subquery that the rewriter cannot prune: the engine alone filters
      List<String> unpruned = rowsOf(catalog.sql("SELECT * FROM (SELECT * FROM db.t OFFSET 0) s WHERE " + where));
      assertThat(rowsOf(catalog.sql("SELECT * FROM db.t WHERE " + where))).as(where).containsExactlyElementsOf(unpruned);
    }
    assertThat(rowsOf(catalog.db("db").table("t").filter(Filter.eq("part", "c"))))
        .containsExactlyElementsOf(expected(r -> r.get("part").equals("c")));
  }

  @Test
  void aReadOfSomeColumnsReturnsThoseColumns() {
    ReadOptions some = ReadOptions.builder().columns("name", "id").build();
    try (DataFrame df = catalog.db("db").table("t", some).collect()) {
      assertThat(df.columnNames()).containsExactlyInAnyOrder("name", "id");
      assertThat(df.rowCount()).isEqualTo(ROWS.size());
    }
    try (DataFrame df = catalog.db("db").table("t").select("part").collect()) {
      assertThat(df.columnNames()).containsExactly("part");
    }
  }

  @Test
  void anEmptyTableReadsAsNoRowsWithItsColumns() {
    try (DataFrame df = catalog.db("db").table("empty").collect()) {
      assertThat(df.rowCount()).isZero();
      assertThat(df.columnNames()).contains("id", "v", "name");
    }
    assertThat(catalog.db("db").table("empty", Filter.eq("id", 1L)).count()).isZero();
  }

  @Test
  void versionsAreReadOnlyFromTablesThatHaveThem() {
    ReadOptions first = ReadOptions.builder().version(0).build();
    if (table.hasVersions()) {
      assertThat(catalog.db("db").table("t", first).count()).isGreaterThanOrEqualTo(0);
    } else {
      assertThatThrownBy(() -> catalog.db("db").table("t", first).count())
          .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
          .hasMessageContaining("db.t");
      assertThatThrownBy(() -> catalog.sql("SELECT * FROM db.t AT (VERSION => 0)").count())
          .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
          .hasMessageContaining("db.t");
    }
  }
}
