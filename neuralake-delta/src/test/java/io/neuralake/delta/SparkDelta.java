package io.neuralake.delta;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A real Delta writer and reader for interop tests: Apache Spark with delta-spark, local[2] on
 * loopback, one session for the whole test JVM (it takes seconds to start).
 */
final class SparkDelta {
  private static SparkSession spark;

  private SparkDelta() {}

  static synchronized SparkSession session() {
    if (spark == null) {
      try {
        Path warehouse = Files.createTempDirectory("spark-warehouse");
        spark = SparkSession.builder()
            .master("local[2]")
            .appName("neuralake-delta-interop")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", warehouse.toString())
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.databricks.delta.properties.defaults.enableDeletionVectors", "false")
            .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return spark;
  }

  static void sql(String statement) {
    session().sql(statement).collect();
  }

  /** Spark's rows of a query, canonical, sorted. */
  static List<String> rows(String query) {
    List<String> out = new ArrayList<>();
    for (Row r : session().sql(query).collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        values.add(r.get(i));
      }
      out.add(Canonical.row(values));
    }
    out.sort(null);
    return out;
  }

  /** Values from Spark and from Neuralake in one comparable text form. */
  static final class Canonical {
    private Canonical() {}

    static String row(List<Object> values) {
      return values.stream().map(Canonical::value).collect(Collectors.joining(" | "));
    }

    /** Our rows, canonical and sorted; the schema tells structs (field order) from maps (sorted keys). */
    static List<String> rows(io.neuralake.frame.DataFrame df) {
      List<io.neuralake.types.Field> fields = df.schema().fields();
      List<String> out = new ArrayList<>();
      for (Map<String, Object> r : df.rows()) {
        List<String> values = new ArrayList<>();
        for (io.neuralake.types.Field f : fields) {
          values.add(typed(r.get(f.name()), f.type()));
        }
        out.add(String.join(" | ", values));
      }
      out.sort(null);
      return out;
    }

    private static String typed(Object v, io.neuralake.types.DataType t) {
      if (v == null) {
        return "null";
      }
      if (t instanceof io.neuralake.types.DataType.Struct s && v instanceof Map<?, ?> m) {
        List<String> inner = new ArrayList<>();
        for (io.neuralake.types.Field f : s.fields()) {
          inner.add(typed(m.get(f.name()), f.type()));
        }
        return "{" + String.join(" | ", inner) + "}";
      }
      if (t instanceof io.neuralake.types.DataType.ListType l && v instanceof List<?> list) {
        return list.stream().map(x -> typed(x, l.element())).collect(Collectors.joining(", ", "[", "]"));
      }
      if (t instanceof io.neuralake.types.DataType.MapType mt && v instanceof Map<?, ?> m) {
        TreeMap<String, String> sorted = new TreeMap<>();
        m.forEach((k, x) -> sorted.put(typed(k, mt.key()), typed(x, mt.value())));
        return sorted.toString();
      }
      return value(v);
    }

    static String value(Object v) {
      return switch (v) {
        case null -> "null";
        case Float f -> BigDecimal.valueOf(f.doubleValue()).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
        case Double d -> d.isNaN() || d.isInfinite() ? d.toString()
            : BigDecimal.valueOf(d).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
        case BigDecimal d -> d.stripTrailingZeros().toPlainString();
        case Number n -> n.toString();
        case java.sql.Date d -> d.toLocalDate().toString();
        case java.sql.Timestamp t -> t.toInstant().toString();
        case Instant i -> i.toString();
        case LocalDate d -> d.toString();
        case LocalDateTime t -> t.toString();
        case byte[] b -> HexFormat.of().formatHex(b);
        case Row r -> {
          List<Object> inner = new ArrayList<>();
          for (int i = 0; i < r.length(); i++) {
            inner.add(r.get(i));
          }
          yield "{" + row(inner) + "}";
        }
        case scala.collection.Seq<?> s -> value(scala.jdk.javaapi.CollectionConverters.asJava(s));
        case scala.collection.Map<?, ?> m -> value(scala.jdk.javaapi.CollectionConverters.asJava(m));
        case List<?> l -> l.stream().map(Canonical::value).collect(Collectors.joining(", ", "[", "]"));
        case Map<?, ?> m -> {
          TreeMap<String, String> sorted = new TreeMap<>();
          m.forEach((k, x) -> sorted.put(value(k), value(x)));
          yield sorted.toString();
        }
        default -> v.toString();
      };
    }

  }
}
