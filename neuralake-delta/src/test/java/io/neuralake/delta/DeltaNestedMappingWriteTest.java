package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.table.LakeContext;
import io.neuralake.testing.DuckDb;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Appends and compaction on tables whose nested fields have physical names (column mapping by
 * name and by id, created by Spark, with a nested field renamed): Spark and Neuralake must both
 * read exactly the rows written, nested values included.
 */
class DeltaNestedMappingWriteTest {
  @TempDir static Path dir;

  private static final String COLUMNS = "id BIGINT, s STRUCT<a: INT, b: STRING>,"
      + " ss STRUCT<inner: STRUCT<x: INT, y: STRING>, z: DOUBLE>, arr ARRAY<STRUCT<p: INT, q: STRING>>,"
      + " m MAP<STRING, STRUCT<u: INT, v: STRING>>, mk MAP<STRUCT<k1: INT, k2: STRING>, STRING>";
  private static final String SPARK_ROW = "(1, named_struct('a', 1, 'b', 'one'),"
      + " named_struct('inner', named_struct('x', 10, 'y', 'ten'), 'z', 1.5),"
      + " array(named_struct('p', 1, 'q', 'p1')), map('k', named_struct('u', 5, 'v', 'five')),"
      + " map(named_struct('k1', 1, 'k2', 'x'), 'vx'))";

  /** Every row of the table once Neuralake appended two rows (after the rename of s.a to a2). */
  private static final List<String> EXPECTED = List.of(
      "1 | {1 | one} | {{10 | ten} | 1.5} | [{1 | p1}] | {k={5 | five}} | {{1 | x}=vx}",
      "2 | {20 | two} | {{21 | y21} | 2.5} | [{22 | q22}, null] | {k2={23 | v23}, n=null} | {{24 | k}=v24}",
      "3 | null | {null | null} | [] | {} | null");

  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  /** One row of SQL values, each written "expression AS name". */
  private static Frame row(String... columns) {
    return Frame.fromRows(List.of(Map.of("one", 1))).select(java.util.Arrays.stream(columns).map(c -> {
      int as = c.lastIndexOf(" AS ");
      return Expr.sql(c.substring(0, as)).as(c.substring(as + 4));
    }).toArray(Expr[]::new));
  }

  /** Two appends in the table's logical names, nested fields included. */
  private static void appendRows(DeltaTable table, LakeContext context) {
    table.append(row("2::BIGINT AS id", "{'a2': 20, 'b': 'two'} AS s",
        "{'inner': {'x': 21, 'y': 'y21'}, 'z': 2.5} AS ss", "[{'p': 22, 'q': 'q22'}, NULL] AS arr",
        "MAP {'k2': {'u': 23, 'v': 'v23'}, 'n': NULL} AS m", "MAP {{'k1': 24, 'k2': 'k'}: 'v24'} AS mk")).context(context).commit();
    table.append(row("3::BIGINT AS id", "NULL AS s", "{'inner': NULL, 'z': NULL} AS ss", "[] AS arr",
        "MAP {} AS m", "NULL AS mk")).context(context).commit();
  }

  private static List<Path> dataFiles(String table) {
    try (var files = java.nio.file.Files.walk(dir.resolve(table))) {
      return files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A data file's Parquet schema below its root: every field's name and field id, in order. */
  private static List<String> layout(Path file) {
    try (DuckDb duck = new DuckDb()) {
      return duck.rows("SELECT name, field_id FROM parquet_schema('" + file.toString().replace("'", "''") + "') OFFSET 1");
    }
  }

  private static List<String> ours(Catalog c, String name) {
    try (DataFrame df = c.db("db").table(name).collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "id"})
  void appendsAndCompactionKeepNestedValues(String mode) {
    String t = "delta.`" + path(mode) + "`";
    SparkDelta.sql("CREATE TABLE " + t + " (" + COLUMNS + ") USING delta TBLPROPERTIES ("
        + "'delta.columnMapping.mode' = '" + mode + "', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5')");
    SparkDelta.sql("INSERT INTO " + t + " VALUES " + SPARK_ROW);
    SparkDelta.sql("ALTER TABLE " + t + " RENAME COLUMN s.a TO a2");
    List<Path> sparkFiles = dataFiles(mode);
    DeltaTable table = DeltaTable.builder(mode, mode).build();
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();

    appendRows(table, c.context());
    List<String> expected = EXPECTED;
    assertThat(SparkDelta.rows("SELECT * FROM " + t)).as("Spark after the appends").isEqualTo(expected);
    assertThat(ours(c, mode)).as("Neuralake after the appends").isEqualTo(expected);

    OptimizeResult result = table.optimize().context(c.context()).run();
    assertThat(result.filesRemoved()).isEqualTo(3);
    assertThat(SparkDelta.rows("SELECT * FROM " + t)).as("Spark after optimize").isEqualTo(expected);
    assertThat(ours(c, mode)).as("Neuralake after optimize").isEqualTo(expected);
    List<String> sparkLayout = layout(sparkFiles.getFirst());
    if (mode.equals("id")) {
      assertThat(sparkLayout.stream().filter(f -> !f.endsWith("null")).count()).as("Spark's field ids, nested too: %s",
          sparkLayout).isGreaterThan(6);
    }
    for (Path file : dataFiles(mode)) {
      assertThat(layout(file)).as("names and field ids in %s", file.getFileName()).isEqualTo(sparkLayout);
    }
    assertThat(SparkDelta.rows("SELECT s.a2, ss.inner.x, arr[0].p, m['k2'].u FROM " + t + " WHERE id = 2"))
        .containsExactly("20 | 21 | 22 | 23");
  }

  /**
   * A table Neuralake creates with column mapping: nested fields get physical names (and ids) from
   * Kernel; a struct column added by schema evolution gets ids (Kernel keeps its names as physical
   * names); compaction sorts by the table's names.
   */
  @ParameterizedTest
  @ValueSource(strings = {"name", "id"})
  void tablesCreatedHereWithNestedAndEvolvedColumns(String mode) {
    String name = "made_" + mode;
    DeltaTable declared = DeltaTable.builder(name, name).schema(Schema.of(Field.of("id", DataType.INT64),
        Field.of("s", DataType.struct(Field.of("a", DataType.INT32), Field.of("b", DataType.STRING)))))
        .property("delta.columnMapping.mode", mode).build();
    DeltaTable table = DeltaTable.builder(name, name).build();
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    declared.create(c.context());
    table.append(row("2::BIGINT AS id", "{'a': 2, 'b': 'two'} AS s")).context(c.context()).commit();
    table.append(row("1::BIGINT AS id", "{'a': 1, 'b': 'one'} AS s")).context(c.context()).commit();
    table.append(row("3::BIGINT AS id", "{'a': 3, 'b': 'three'} AS s", "{'c': 33} AS t")).context(c.context()).options(WriteOptions.builder().mergeSchema(true).build()).commit();
    assertThatThrownBy(() -> table.optimize().context(c.context()).sortBy("nope").run())
        .hasMessageContaining("table '" + name + "'").hasMessageContaining("'nope'");

    OptimizeResult result = table.optimize().context(c.context()).sortBy("id").run();
    assertThat(result.filesRemoved()).isEqualTo(3);
    List<String> expected = List.of("1 | {1 | one} | null", "2 | {2 | two} | null", "3 | {3 | three} | {33}");
    assertThat(SparkDelta.rows("SELECT * FROM delta.`" + path(name) + "`")).isEqualTo(expected);
    assertThat(ours(c, name)).isEqualTo(expected);
    for (Path file : dataFiles(name)) {
      assertThat(layout(file)).as("nested fields under physical names in %s", file.getFileName())
          .noneMatch(f -> f.startsWith("a |") || f.startsWith("b |"));
    }
  }
}
