package io.neuralake.delta;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.table.LakeContext;
import io.neuralake.types.DataType;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark 4's VARIANT columns in Delta tables written by Spark: Neuralake reads each variant as its
 * JSON text (our type string), as Spark's {@code to_json} renders it, whether the files hold it
 * shredded or not, with or without a checkpoint or Parquet's VARIANT annotation, at the top level
 * or nested; it refuses to write to such tables.
 */
class DeltaVariantTest {
  @TempDir static Path dir;

  /** Objects, nested arrays, a SQL null, a JSON null, numbers, strings, booleans. */
  private static final String ROWS = "(1, parse_json('{\"key\":0}')),"
      + " (2, parse_json('{\"a\":{\"b\":[1,2,{\"c\":null}]},\"s\":\"x\",\"t\":true}')),"
      + " (3, parse_json('[1,\"two\",3.5,false,null]')), (4, NULL), (5, parse_json('null')),"
      + " (6, parse_json('12345678901234')), (7, parse_json('\"str\"')), (8, parse_json('-1.25')),"
      + " (9, parse_json('{\"quote\":\"a \\\\\"b\\\\\" \\\\u00e9\"}'))";

  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static Catalog catalog() {
    return Catalog.builder("c").root(dir.toString()).database("db",
        DeltaTable.builder("plain", "plain").build(),
        DeltaTable.builder("checkpointed", "checkpointed").build(),
        DeltaTable.builder("shredded", "shredded").build(),
        DeltaTable.builder("nested", "nested").build(),
        DeltaTable.builder("typed", "typed").build(),
        DeltaTable.builder("mixed", "mixed").build(),
        DeltaTable.builder("nested_unannotated", "nested_unannotated").build()).build();
  }

  private static void writeTopLevel(String name, String properties) {
    SparkDelta.sql("CREATE TABLE delta.`" + path(name) + "` (id INT, v VARIANT) USING delta" + properties);
    SparkDelta.sql("INSERT INTO delta.`" + path(name) + "` VALUES " + ROWS);
    // a second commit, one object: with shredding on, Spark shreds its one key into a typed column
    SparkDelta.sql("INSERT INTO delta.`" + path(name) + "` VALUES (10, parse_json('{\"key\":10}'))");
  }

  @BeforeAll
  static void writeTables() {
    var conf = SparkDelta.session().conf();
    // as Spark 4.0 wrote them: a group of two binaries, without Parquet's VARIANT annotation
    conf.set("spark.sql.parquet.variant.annotateLogicalType.enabled", "false");
    try {
      writeTopLevel("plain", "");
      SparkDelta.sql("CREATE TABLE delta.`" + path("mixed") + "` (id INT, v VARIANT) USING delta");
      SparkDelta.sql("INSERT INTO delta.`" + path("mixed") + "` VALUES " + ROWS);
      SparkDelta.sql("CREATE TABLE delta.`" + path("nested_unannotated") + "` (id INT, s STRUCT<n: INT, w: VARIANT>,"
          + " a ARRAY<VARIANT>, m MAP<STRING, VARIANT>) USING delta");
      SparkDelta.sql("INSERT INTO delta.`" + path("nested_unannotated") + "` VALUES"
          + " (1, named_struct('n', 1, 'w', parse_json('[1]')), array(parse_json('{\"a\":{\"b\":2}}'), NULL),"
          + "  map('k', parse_json('\"text\"'))),"
          + " (2, named_struct('n', 2, 'w', CAST(NULL AS VARIANT)), NULL, map('k', parse_json('null'))),"
          + " (3, NULL, array(), NULL)");
      conf.set("spark.sql.parquet.variant.annotateLogicalType.enabled", "true");
      // a later writer annotates: one table, files of both kinds
      SparkDelta.sql("INSERT INTO delta.`" + path("mixed") + "` VALUES (10, parse_json('{\"key\":10}'))");
    } finally {
      conf.unset("spark.sql.parquet.variant.annotateLogicalType.enabled");
    }
    writeTopLevel("checkpointed", " TBLPROPERTIES ('delta.checkpointInterval' = '1')");
    conf.set("spark.sql.variant.writeShredding.enabled", "true");
    conf.set("spark.sql.variant.inferShreddingSchema", "true");
    try {
      writeTopLevel("shredded", " TBLPROPERTIES ('delta.enableVariantShredding' = 'true',"
          + " 'delta.checkpointInterval' = '1')");
    } finally {
      conf.unset("spark.sql.variant.writeShredding.enabled");
      conf.unset("spark.sql.variant.inferShreddingSchema");
    }
    writeTyped();
    // variants in a struct and in a list, under column mapping (physical names in the files)
    SparkDelta.sql("CREATE TABLE delta.`" + path("nested") + "` (id INT, s STRUCT<n: INT, w: VARIANT>,"
        + " a ARRAY<VARIANT>) USING delta TBLPROPERTIES ('delta.columnMapping.mode' = 'name',"
        + " 'delta.checkpointInterval' = '1')");
    SparkDelta.sql("INSERT INTO delta.`" + path("nested") + "` VALUES"
        + " (1, named_struct('n', 1, 'w', parse_json('{\"x\":[1,{\"y\":\"z\"}]}')), array(parse_json('1'), parse_json('\"two\"'))),"
        + " (2, named_struct('n', 2, 'w', CAST(NULL AS VARIANT)), array(parse_json('{\"k\":null}'), NULL)),"
        + " (3, NULL, NULL)");
  }

  /**
   * Variants cast from SQL values keep their types (date, float, decimal...), which JSON lacks:
   * Spark's and the engine's JSON for them may be spelled differently (1.0E300 and 1e300).
   */
  private static void writeTyped() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("typed") + "` (id INT, v VARIANT) USING delta");
    SparkDelta.sql("INSERT INTO delta.`" + path("typed") + "` VALUES (1, CAST(DATE '2024-01-02' AS VARIANT)),"
        + " (2, CAST(TIMESTAMP_NTZ '2024-01-02 03:04:05.123456' AS VARIANT)), (3, CAST(CAST(1.5 AS FLOAT) AS VARIANT)),"
        + " (4, CAST(CAST(1.50 AS DECIMAL(10,2)) AS VARIANT)), (5, CAST(CAST(0.1 AS DOUBLE) AS VARIANT)),"
        + " (6, parse_json('1e300')), (7, parse_json('123456789012345678901234567890')), (8, CAST(CAST(-7 AS TINYINT) AS VARIANT)),"
        + " (9, to_variant_object(named_struct('d', CAST(2.25 AS DECIMAL(5,2)), 'l', array(DATE '2020-02-29', NULL))))");
  }

  /** Spark's reading of a top-level variant as JSON text; a JSON null reads as null (the engine's reading of it). */
  private static List<String> spark(String name) {
    return SparkDelta.rows("SELECT id, CASE WHEN is_variant_null(v) THEN NULL ELSE to_json(v) END FROM delta.`"
        + path(name) + "`");
  }

  private static List<String> ours(Frame f) {
    try (DataFrame df = f.collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  @Test
  void variantsReadAsTheirJsonTextLikeSparkRendersThem() throws Exception {
    assertThat(variantGroups("plain")).isNotEmpty().allMatch(v -> v.getLogicalTypeAnnotation() == null);
    Catalog c = catalog();
    List<String> expected = spark("plain");
    assertThat(expected).hasSize(10).contains("1 | {\"key\":0}", "4 | null", "7 | \"str\"");
    assertThat(ours(c.db("db").table("plain"))).isEqualTo(expected);
    assertThat(c.db("db").table("plain").schema().field("v").type()).isEqualTo(DataType.STRING);
  }

  @Test
  void aCheckpointedTableReadsTheSame() throws Exception {
    assertThat(dir.resolve("checkpointed/_delta_log/00000000000000000002.checkpoint.parquet")).exists();
    // Spark 4.2 annotates its variant groups as Parquet VARIANTs
    assertThat(variantGroups("checkpointed")).isNotEmpty().allMatch(v -> v.getLogicalTypeAnnotation() != null);
    Catalog c = catalog();
    assertThat(ours(c.db("db").table("checkpointed"))).isEqualTo(spark("checkpointed")).hasSize(10);
    // the reported case: the first row, as text, not the variant's metadata and value bytes
    try (DataFrame df = c.sql("SELECT v FROM db.checkpointed WHERE id = 1 LIMIT 1").collect()) {
      assertThat(df.get(0, "v")).isEqualTo("{\"key\":0}");
    }
  }

  @Test
  void shreddedVariantsReadTheSame() throws Exception {
    // the test is only worth its name if Spark shredded a file: its variant group has a typed_value
    assertThat(variantGroups("shredded")).anyMatch(v -> v.containsField("typed_value"));
    assertThat(ours(catalog().db("db").table("shredded"))).isEqualTo(spark("shredded")).hasSize(10);
  }

  /** The variant column's Parquet group in each of a table's data files, from their footers. */
  private static List<org.apache.parquet.schema.GroupType> variantGroups(String table) throws Exception {
    List<org.apache.parquet.schema.GroupType> out = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.list(dir.resolve(table))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
            .fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.conf.Configuration()))) {
          out.add(reader.getFooter().getFileMetaData().getSchema().getType("v").asGroupType());
        }
      }
    }
    return out;
  }

  @Test
  void nestedVariantsUnderColumnMappingReadAsText() {
    List<String> expected = SparkDelta.rows("SELECT id, CASE WHEN s IS NULL THEN NULL ELSE named_struct('n', s.n, 'w',"
        + " to_json(s.w)) END, transform(a, x -> to_json(x)) FROM delta.`" + path("nested") + "`");
    assertThat(expected).contains("1 | {1 | {\"x\":[1,{\"y\":\"z\"}]}} | [1, \"two\"]");
    Frame nested = catalog().db("db").table("nested");
    assertThat(nested.schema().field("s").type()).isEqualTo(DataType.struct(
        io.neuralake.types.Field.of("n", DataType.INT32), io.neuralake.types.Field.of("w", DataType.STRING)));
    assertThat(nested.schema().field("a").type()).isEqualTo(DataType.list(DataType.STRING));
    assertThat(ours(nested)).isEqualTo(expected);
  }

  @Test
  void filesWithAndWithoutTheAnnotationReadTogether() throws Exception {
    assertThat(variantGroups("mixed")).anyMatch(v -> v.getLogicalTypeAnnotation() == null)
        .anyMatch(v -> v.getLogicalTypeAnnotation() != null);
    assertThat(ours(catalog().db("db").table("mixed"))).isEqualTo(spark("mixed")).hasSize(10);
  }

  @Test
  void nestedVariantsWithoutTheAnnotationAreDecodedWhereTheyAre() throws Exception {
    assertThat(variantGroups("plain")).allMatch(v -> v.getLogicalTypeAnnotation() == null); // written alike
    List<String> expected = SparkDelta.rows("SELECT id, CASE WHEN s IS NULL THEN NULL ELSE named_struct('n', s.n, 'w',"
        + " to_json(s.w)) END, transform(a, x -> to_json(x)), transform_values(m, (k, x) -> to_json(x))"
        + " FROM delta.`" + path("nested_unannotated") + "`");
    assertThat(expected).contains("1 | {1 | [1]} | [{\"a\":{\"b\":2}}, null] | {k=\"text\"}");
    assertThat(ours(catalog().db("db").table("nested_unannotated"))).isEqualTo(expected);
  }

  @Test
  void typedVariantsReadAsTheSameJsonValues() throws Exception {
    Map<Integer, String> expected = new java.util.TreeMap<>();
    for (org.apache.spark.sql.Row r : SparkDelta.session().sql("SELECT id, to_json(v) FROM delta.`" + path("typed") + "`")
        .collectAsList()) {
      expected.put(r.getInt(0), r.getString(1));
    }
    Map<Integer, String> actual = new java.util.TreeMap<>();
    try (DataFrame df = catalog().db("db").table("typed").collect()) {
      for (Map<String, Object> r : df.rows()) {
        actual.put((Integer) r.get("id"), (String) r.get("v"));
      }
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(9);
    var json = new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    // numbers compare by value: the same number may be spelled 1.5 or 1.50, 1.0E300 or 1e300
    java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> sameValue = (a, b) -> a.isNumber() && b.isNumber()
        ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;
    for (int id : expected.keySet()) {
      assertThat(json.readTree(actual.get(id)).equals(sameValue, json.readTree(expected.get(id))))
          .as("row %d: ours %s, Spark's %s", id, actual.get(id), expected.get(id)).isTrue();
    }
    assertThat(actual.get(1)).isEqualTo("\"2024-01-02\"");
  }

  @Test
  void filtersAndProjectionsWorkOnTheText() {
    Catalog c = catalog();
    // the filter on the variant is the engine's alone: the log's statistics know nothing of JSON text
    assertThat(ours(c.db("db").table("checkpointed", Filter.eq("v", "{\"key\":0}")))).containsExactly("1 | {\"key\":0}");
    assertThat(ours(c.db("db").table("checkpointed").filter(col("id").ge(9)).select("id")))
        .containsExactly("10", "9");
    assertThat(ours(c.sql("SELECT json_extract_string(v, '$.a.b[2]') AS c FROM db.plain WHERE id = 2")))
        .containsExactly("{\"c\":null}");
  }

  @Test
  void schemaAndDetailsComeFromTheLogWithTheVariantAsText() throws Exception {
    Catalog c = catalog();
    var definition = c.db("db").definition("checkpointed");
    Schema schema = definition.schema(c.context());
    assertThat(schema.names()).containsExactly("id", "v");
    assertThat(schema.field("v").type()).isEqualTo(DataType.STRING);
    assertThat(definition.details(c.context()).rowCount()).hasValue(10);
  }

  @Test
  void writesToATableWithVariantsAreRefusedAndChangeNothing() {
    DeltaTable table = DeltaTable.builder("checkpointed", path("checkpointed")).build();
    long before = SparkDelta.session().sql("SELECT * FROM delta.`" + path("checkpointed") + "`").count();
    assertThatThrownBy(() -> table.append(List.of(Map.of("id", 11, "v", "{\"key\":11}")))
        .context(LakeContext.defaults()).commit())
        .isInstanceOf(NeuralakeException.class)
        .satisfies(e -> assertThat(((NeuralakeException) e).code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
        .hasMessageContaining("table 'checkpointed'").hasMessageContaining("column v")
        .hasMessageContaining("VARIANT");
    assertThatThrownBy(() -> table.overwrite(Frame.fromRows(List.of(Map.of("id", 1, "v", "1"))))
        .context(LakeContext.defaults()).commit())
        .isInstanceOf(NeuralakeException.class).hasMessageContaining("table 'checkpointed'").hasMessageContaining("column v");
    DeltaTable nested = DeltaTable.builder("nested", path("nested")).build();
    assertThatThrownBy(() -> nested.optimize().context(LakeContext.defaults()).run())
        .isInstanceOf(NeuralakeException.class)
        .hasMessageContaining("table 'nested'").hasMessageContaining("columns s, a");
    assertThat(SparkDelta.session().sql("SELECT * FROM delta.`" + path("checkpointed") + "`").count()).isEqualTo(before);
  }
}
