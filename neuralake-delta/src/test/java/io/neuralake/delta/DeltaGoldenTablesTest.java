package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.table.ReadOptions;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Delta Lake's own test tables ("golden tables", copied from delta-io/delta, see
 * {@code src/test/resources/delta-golden/README.md}), read by Neuralake and by Spark + delta-spark:
 * Spark's rows are the expected answer. Each table is copied to a temporary folder first, so no
 * test writes to the resources.
 *
 * <p>Every copied table is in {@link #READS_LIKE_SPARK} (and some also in the filtered and time
 * travel lists), or in {@link #BROKEN_ON_PURPOSE} (Spark refuses them too); a table Neuralake
 * cannot read like Spark is a failing test, not a listed exception.
 */
class DeltaGoldenTablesTest {
  /** Tables Neuralake reads exactly as Spark does (SELECT *), grouped by what they exercise. */
  static final List<String> READS_LIKE_SPARK = List.of(
      // checkpoints and log replay
      "basic-with-inserts-deletes-checkpoint", // classic checkpoint, then more commits
      "multi-part-checkpoint",
      "v2-checkpoint-json", // v2 checkpoints with sidecars
      "v2-checkpoint-parquet",
      "only-checkpoint-files", // the commits before the checkpoint are gone
      "corrupted-last-checkpoint-kernel", // _last_checkpoint points at a damaged checkpoint
      "log-replay-latest-metadata-protocol",
      "snapshot-repartitioned",
      "snapshot-vacuumed",
      "data-skipping-basic-stats-all-types-checkpoint", // statistics of every type in a checkpoint
      // DML
      "basic-with-inserts-merge",
      "basic-with-inserts-updates",
      "basic-with-inserts-overwrite-restore", // overwrite, then RESTORE
      "basic-with-vacuum-protocol-check-feature", // reader feature vacuumProtocolCheck
      "commit-info-containing-arbitrary-operationParams-types",
      // deletion vectors
      "dv-partitioned-with-checkpoint",
      "dv-with-columnmapping",
      "log-replay-dv-key-cases", // the same file re-added with other deletion vectors
      // column mapping
      "table-with-columnmapping-mode-id", // every type, nested, under mapping mode id
      "table-with-columnmapping-mode-name",
      "table-with-icebegCompatV2Enabled",
      "data-skipping-basic-stats-all-types-columnmapping-id",
      // types
      "data-reader-primitives",
      "data-reader-array-primitives",
      "data-reader-array-complex-objects",
      "data-reader-map",
      "data-reader-nested-struct",
      "data-reader-nullable-field-invalid-schema-key",
      "parquet-all-types",
      "parquet-all-types-legacy-format", // Parquet's legacy list and map layout
      "decimal-various-scale-precision",
      "124-decimal-decode-bug",
      "collations-table", // no rows; collated strings in the schema
      "type-widening",
      "type-widening-nested",
      // dates and timestamps, as data and as partition columns (with a null partition)
      "data-reader-date-types-UTC",
      "data-reader-date-types-America/Los_Angeles",
      "kernel-timestamp-INT96",
      "kernel-timestamp-TIMESTAMP_MILLIS",
      "kernel-timestamp-PST",
      "kernel-timestamp-partition-col-ISO8601",
      "data-reader-timestamp_ntz",
      "data-reader-timestamp_ntz-id-mode",
      "data-reader-timestamp_ntz-name-mode",
      // partitions, schema changes
      "data-reader-escaped-chars", // partition values that need escaping in paths
      "data-reader-partition-values", // partition columns of many types (decimal, boolean, date, timestamp, floats), nulls
      "basic-decimal-table", // a decimal(12,5) partition column
      "basic-decimal-table-legacy", // the same, legacy Parquet decimal layout
      // variants at the top level and in arrays, structs and maps, without Parquet's annotation (Spark 4.0), checkpointed
      "spark-variant-checkpoint",
      "data-skipping-partition-and-data-column",
      "data-skipping-change-stats-collected-across-versions",
      "time-travel-partition-changes-b", // the partition columns changed (overwriteSchema)
      "time-travel-schema-changes-b",
      "time-travel-start-start20-start40");

  /** Tables damaged on purpose: Spark refuses them, and so must we, with an error naming the problem. */
  static final List<Arguments> BROKEN_ON_PURPOSE = List.of(
      Arguments.of("deltalog-invalid-protocol-version", "requires reader version 99"),
      Arguments.of("no-delta-log-folder", "no _delta_log"),
      Arguments.of("versions-not-contiguous", "versions are not contiguous"));

  /** Filtered reads: the same WHERE clause given to both engines (partition pruning, statistics, deletion vectors). */
  static final List<Arguments> FILTERED = List.of(
      Arguments.of("data-skipping-partition-and-data-column", "part = 1 AND id > 0"),
      Arguments.of("dv-partitioned-with-checkpoint", "part = 3"),
      Arguments.of("dv-with-columnmapping", "part >= 5 AND col1 < 40"),
      Arguments.of("kernel-timestamp-PST", "part IS NULL"),
      Arguments.of("data-reader-timestamp_ntz-name-mode", "tsNtzPartition IS NOT NULL AND id > 1"),
      Arguments.of("table-with-columnmapping-mode-id", "IntegerType >= 3 AND StringType <> '5'"),
      // a million rows of dictionary-encoded decimals (INT32, INT64 and fixed-length): the first and last pages
      Arguments.of("parquet-decimal-dictionaries-v2", "id < 3000 OR id >= 997000"));

  /** Time travel: old versions, including ones with another schema or other partition columns. */
  static final List<Arguments> TIME_TRAVEL = List.of(
      Arguments.of("time-travel-start-start20-start40", 1),
      Arguments.of("time-travel-schema-changes-b", 0),
      Arguments.of("time-travel-partition-changes-b", 0),
      Arguments.of("basic-with-inserts-overwrite-restore", 2),
      Arguments.of("dv-partitioned-with-checkpoint", 5));

  @TempDir static Path dir;
  private static final Map<String, String> savedSparkConf = new HashMap<>();

  /**
   * These tables are tiny: Spark's per-query cost is planning, code generation and the 50
   * partitions Delta replays its log into. Interpreted expressions and one log partition cut a
   * read several-fold (12-30 s to 2.5-6 s each on a busy 2-core machine); the session is shared,
   * so the settings are put back afterwards.
   */
  @BeforeAll
  static void quickSpark() {
    setSpark("spark.databricks.delta.snapshotPartitions", "1");
    setSpark("spark.sql.codegen.wholeStage", "false");
    setSpark("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    setSpark("spark.sql.adaptive.enabled", "false");
  }

  private static void setSpark(String key, String value) {
    var conf = SparkDelta.session().conf();
    savedSparkConf.put(key, conf.getOption(key).isDefined() ? conf.getOption(key).get() : null);
    conf.set(key, value);
  }

  @AfterAll
  static void restoreSpark() {
    var conf = SparkDelta.session().conf();
    savedSparkConf.forEach((k, v) -> {
      if (v == null) {
        conf.unset(k);
      } else {
        conf.set(k, v);
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("READS_LIKE_SPARK")
  void readsLikeSpark(String table) {
    Path path = copy(table);
    Dataset<Row> expected = SparkDelta.session().read().format("delta").load(path.toString());
    try (DataFrame df = catalog(path).db("db").table("t").collect()) {
      assertThat(df.schema().fields()).as("columns and types").extracting(f -> f.name() + ": " + f.type().typeName())
          .containsExactly(Stream.of(expected.schema().fields())
              .map(f -> f.name() + ": " + ourType(f.dataType()).typeName()).toArray(String[]::new));
      assertThat(SparkDelta.Canonical.rows(df)).as("rows").isEqualTo(canonical(expected));
    }
  }

  @ParameterizedTest(name = "{0} WHERE {1}")
  @FieldSource("FILTERED")
  void filteredReadsLikeSpark(String table, String where) {
    Path path = copy(table);
    List<String> expected = spark(path, where, Optional.empty());
    long all = SparkDelta.session().read().format("delta").load(path.toString()).count();
    assertThat(expected).as("Spark's rows").isNotEmpty().hasSizeLessThan((int) all);
    assertThat(ours(catalog(path).sql("SELECT * FROM db.t WHERE " + where))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} VERSION AS OF {1}")
  @FieldSource("TIME_TRAVEL")
  void timeTravelReadsLikeSpark(String table, long version) {
    Path path = copy(table);
    List<String> expected = spark(path, "", Optional.of(version));
    assertThat(expected).as("the old version differs from the latest").isNotEqualTo(spark(path, "", Optional.empty()));
    assertThat(ours(catalog(path).db("db").table("t", ReadOptions.builder().version(version).build()))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("BROKEN_ON_PURPOSE")
  void brokenTablesFailClearly(String table, String problem) {
    Path path = copy(table);
    assertThatThrownBy(() -> spark(path, "", Optional.empty())).as("Spark refuses it too");
    assertThatThrownBy(() -> catalog(path).db("db").table("t").collect().close())
        .isInstanceOf(NeuralakeException.class)
        .hasMessageContaining("table 't'").hasMessageContaining(path.toString()).hasMessageContaining(problem);
  }

  /** Every copied table is in one list: a table added to the resources is not silently left out. */
  @Test
  void everyCopiedTableIsTested() throws IOException {
    TreeSet<String> listed = new TreeSet<>();
    READS_LIKE_SPARK.forEach(t -> listed.add(t.split("/")[0]));
    BROKEN_ON_PURPOSE.forEach(a -> listed.add((String) a.get()[0]));
    FILTERED.forEach(a -> listed.add((String) a.get()[0]));
    try (Stream<Path> tables = Files.list(golden())) {
      assertThat(tables.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(listed);
    }
    assertThat(READS_LIKE_SPARK).doesNotHaveDuplicates();
  }

  private static Path golden() {
    try {
      return Path.of(DeltaGoldenTablesTest.class.getResource("/delta-golden").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh copy of the table (each test its own, as a read must never change it, and nothing writes to resources). */
  private static Path copy(String table) {
    Path from = golden().resolve(table);
    Path to;
    try {
      to = Files.createTempDirectory(dir, "golden").resolve(table);
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : files.toList()) {
          Path target = to.resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(target);
          } else {
            Files.copy(f, target);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return to;
  }

  private static Catalog catalog(Path table) {
    return Catalog.builder("c").root(table.getParent().toString())
        .database("db", DeltaTable.builder("t", table.getFileName().toString()).build()).build();
  }

  private static List<String> ours(Frame f) {
    try (DataFrame df = f.collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  private static List<String> spark(Path table, String where, Optional<Long> version) {
    return SparkDelta.rows("SELECT * FROM delta.`" + table + "`" + version.map(v -> " VERSION AS OF " + v).orElse("")
        + (where.isEmpty() ? "" : " WHERE " + where));
  }

  /** The type Neuralake should give a column Spark reads with this type. */
  private static DataType ourType(org.apache.spark.sql.types.DataType t) {
    return switch (t) {
      case BooleanType x -> DataType.BOOLEAN;
      case ByteType x -> DataType.INT8;
      case ShortType x -> DataType.INT16;
      case IntegerType x -> DataType.INT32;
      case LongType x -> DataType.INT64;
      case FloatType x -> DataType.FLOAT32;
      case DoubleType x -> DataType.FLOAT64;
      case StringType x -> DataType.STRING; // collated or not
      case BinaryType x -> DataType.BINARY;
      case DateType x -> DataType.DATE;
      case TimestampType x -> DataType.TIMESTAMP_TZ;
      case TimestampNTZType x -> DataType.TIMESTAMP;
      case DecimalType d -> DataType.decimal(d.precision(), d.scale());
      case ArrayType a -> DataType.list(ourType(a.elementType()));
      case MapType m -> DataType.map(ourType(m.keyType()), ourType(m.valueType()));
      case StructType s -> new DataType.Struct(Stream.of(s.fields()).map(f -> Field.of(f.name(), ourType(f.dataType()))).toList());
      // a variant reads as its JSON text
      case org.apache.spark.sql.types.VariantType x -> DataType.STRING;
      default -> throw new IllegalArgumentException("no Neuralake type for Spark's " + t);
    };
  }

  private static List<String> canonical(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        values.add(r.get(i));
      }
      out.add(SparkDelta.Canonical.row(values));
    }
    out.sort(null);
    return out;
  }
}
