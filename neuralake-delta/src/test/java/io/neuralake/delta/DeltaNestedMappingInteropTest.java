package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.table.ReadOptions;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Column mapping (by name and by id) gives nested fields physical names too: tables Spark writes
 * with structs, structs in structs, arrays of structs and maps of structs, with nested fields
 * renamed and dropped, read by Neuralake exactly as Spark reads them, at every version.
 */
class DeltaNestedMappingInteropTest {
  @TempDir static Path dir;

  private static final String COLUMNS = "id BIGINT, s STRUCT<a: INT, b: STRING>,"
      + " ss STRUCT<inner: STRUCT<x: INT, y: STRING>, z: DOUBLE>, arr ARRAY<STRUCT<p: INT, q: STRING>>,"
      + " m MAP<STRING, STRUCT<u: INT, v: STRING>>, mk MAP<STRUCT<k1: INT, k2: STRING>, STRING>";
  private static final String ROWS = "(1, named_struct('a', 1, 'b', 'one'),"
      + " named_struct('inner', named_struct('x', 10, 'y', 'ten'), 'z', 1.5),"
      + " array(named_struct('p', 1, 'q', 'p1'), named_struct('p', 2, 'q', 'p2')),"
      + " map('k', named_struct('u', 5, 'v', 'five')), map(named_struct('k1', 1, 'k2', 'x'), 'vx')),"
      + " (2, null, named_struct('inner', null, 'z', null), array(), map(), null),"
      + " (3, named_struct('a', null, 'b', 'three'), null, array(null, named_struct('p', 3, 'q', null)),"
      + " map('n', null), map(named_struct('k1', 3, 'k2', null), null))";

  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static Catalog catalog(String table) {
    return Catalog.builder("c").root(dir.toString()).database("db", DeltaTable.builder(table, table).build()).build();
  }

  private static List<String> ours(Frame f) {
    try (DataFrame df = f.collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  private static List<String> spark(String query) {
    return SparkDelta.rows(query);
  }

  /**
   * Per mode: version 1 has every shape, no rename; version 2 renames nested fields at every
   * depth; version 3 drops nested fields; version 4 appends rows in the new shape.
   */
  @BeforeAll
  static void writeTables() {
    for (String mode : List.of("name", "id")) {
      String t = "delta.`" + path(mode) + "`";
      SparkDelta.sql("CREATE TABLE " + t + " (" + COLUMNS + ") USING delta TBLPROPERTIES ("
          + "'delta.columnMapping.mode' = '" + mode + "', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5')");
      SparkDelta.sql("INSERT INTO " + t + " VALUES " + ROWS);
      SparkDelta.sql("ALTER TABLE " + t + " RENAME COLUMN s.a TO a2");
      SparkDelta.sql("ALTER TABLE " + t + " RENAME COLUMN ss.inner.x TO x2");
      SparkDelta.sql("ALTER TABLE " + t + " RENAME COLUMN arr.element.p TO p2");
      SparkDelta.sql("ALTER TABLE " + t + " RENAME COLUMN m.value.u TO u2");
      SparkDelta.sql("ALTER TABLE " + t + " RENAME COLUMN mk.key.k1 TO k1b");
      SparkDelta.sql("ALTER TABLE " + t + " DROP COLUMN s.b");
      SparkDelta.sql("ALTER TABLE " + t + " DROP COLUMN ss.inner.y");
      SparkDelta.sql("ALTER TABLE " + t + " DROP COLUMN arr.element.q");
      SparkDelta.sql("INSERT INTO " + t + " VALUES (4, named_struct('a2', 40),"
          + " named_struct('inner', named_struct('x2', 41), 'z', 4.5), array(named_struct('p2', 42)),"
          + " map('k4', named_struct('u2', 43, 'v', 'v4')), map(named_struct('k1b', 44, 'k2', 'k'), 'v44'))");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "id"})
  void everyShapeReadsLikeSparkAtEveryVersion(String mode) {
    Catalog c = catalog(mode);
    long latest = SparkDelta.rows("DESCRIBE HISTORY delta.`" + path(mode) + "`").size() - 1;
    for (long v = 1; v <= latest; v++) {
      List<String> expected = spark("SELECT * FROM delta.`" + path(mode) + "` VERSION AS OF " + v);
      assertThat(ours(c.db("db").table(mode, ReadOptions.builder().version(v).build())))
          .as("%s mapping, version %d", mode, v).isEqualTo(expected);
    }
    try (DataFrame df = c.db("db").table(mode).collect()) {
      assertThat(df.schema().field("s").type().sqlName()).contains("a2").doesNotContain("col-");
      assertThat(SparkDelta.Canonical.rows(df)).isEqualTo(spark("SELECT * FROM delta.`" + path(mode) + "`"))
          .contains("4 | {40} | {{41} | 4.5} | [{42}] | {k4={43 | v4}} | {{44 | k}=v44}");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "id"})
  void topLevelColumnsOfATableWithNestedMapping(String mode) {
    Catalog c = catalog(mode);
    assertThat(ours(c.db("db").table(mode, ReadOptions.builder().version(1).build()).select("id")))
        .containsExactly("1", "2", "3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "id"})
  void filtersOnNestedFields(String mode) {
    Catalog c = catalog(mode);
    assertThat(ours(c.db("db").table(mode).filter(Expr.sql("s.a2 >= 1")).select("id")))
        .isEqualTo(spark("SELECT id FROM delta.`" + path(mode) + "` WHERE s.a2 >= 1")).containsExactly("1", "4");
    assertThat(ours(c.db("db").table(mode).filter(Expr.sql("m['k4'].u2 = 43")).select("id")))
        .containsExactly("4");
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "id"})
  void aDeclaredSchemaOverNestedMapping(String mode) {
    DeltaTable declared = DeltaTable.builder(mode, mode).schema(Schema.of(Field.of("id", DataType.INT64),
        Field.of("arr", DataType.list(DataType.struct(Field.of("p2", DataType.INT32)))),
        Field.of("note", DataType.STRING))).build();
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", declared).build();
    assertThat(ours(c.db("db").table(mode)))
        .isEqualTo(spark("SELECT id, arr, CAST(NULL AS STRING) FROM delta.`" + path(mode) + "`")).hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "id"})
  void deletionVectorsWithNestedMapping(String mode) {
    String t = "delta.`" + path("dv_" + mode) + "`";
    SparkDelta.sql("CREATE TABLE " + t + " (" + COLUMNS + ") USING delta TBLPROPERTIES ("
        + "'delta.columnMapping.mode' = '" + mode + "', 'delta.enableDeletionVectors' = 'true')");
    SparkDelta.sql("INSERT INTO " + t + " VALUES " + ROWS);
    SparkDelta.sql("ALTER TABLE " + t + " RENAME COLUMN s.a TO a2");
    SparkDelta.sql("DELETE FROM " + t + " WHERE id = 2");
    Catalog c = catalog("dv_" + mode);
    assertThat(ours(c.db("db").table("dv_" + mode))).isEqualTo(spark("SELECT * FROM " + t)).hasSize(2);
  }
}
