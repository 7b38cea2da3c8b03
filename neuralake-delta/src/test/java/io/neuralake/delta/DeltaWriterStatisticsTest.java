package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.testing.CountingStore;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics our writer puts in the log for data skipping come from the engine's Parquet writer
 * as it writes (no file is read back): each bound must hold every value of its file, NaN must keep a
 * float column's maximum out, long strings follow Delta's rule, and skipping by them keeps every row
 * a filter asks for.
 */
class DeltaWriterStatisticsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A name to be quoted (the second test's table maps columns, so it may hold a space too). */
  private static final String ODD = "we\"ird";
  private static final Schema SCHEMA = schema(ODD);

  private static Schema schema(String odd) {
    return Schema.of(Field.of("i8", DataType.INT8), Field.of("i32", DataType.INT32),
      Field.of("i64", DataType.INT64), Field.of("f32", DataType.FLOAT32), Field.of("f64", DataType.FLOAT64),
      Field.of("dec", DataType.decimal(12, 2)), Field.of("s", DataType.STRING), Field.of(odd, DataType.STRING),
        Field.of("d", DataType.DATE), Field.of("ts", DataType.TIMESTAMP_TZ), Field.of("ntz", DataType.TIMESTAMP),
        Field.of("b", DataType.BOOLEAN));
  }

  @TempDir Path dir;

  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private LakeContext context() {
    return new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
  }

  private static Frame rows(Schema schema, List<List<?>> columns) {
    return Frame.of(DataFrame.fromColumns(schema, columns));
  }

  @Test
  void boundsHoldEveryValueAndNaNKeepsTheMaximumOut() throws Exception {
    DeltaTable table = DeltaTable.builder("stats", "stats").schema(SCHEMA).build();
    LakeContext ctx = context();
    table.create(ctx);
    String longText = "a" + "x".repeat(40);
    table.append(rows(SCHEMA, List.of(
        Arrays.asList((byte) 3, (byte) -7, null),
        Arrays.asList(1, -5, null),
        Arrays.asList(10_000_000_000L, -1L, null),
        Arrays.asList(1.5f, Float.NaN, null),
        Arrays.asList(2.25, -3.5, null),
        Arrays.asList(new BigDecimal("1.10"), new BigDecimal("-2.50"), null),
        Arrays.asList("b", longText, null),
        Arrays.asList("q", "r", null),
        Arrays.asList(LocalDate.of(2024, 2, 29), LocalDate.of(1999, 1, 1), null),
        Arrays.asList(Instant.parse("2024-01-02T03:04:05.123456Z"), Instant.parse("1999-12-31T23:59:59Z"), null),
        Arrays.asList(LocalDateTime.parse("2024-01-02T03:04:05.5"), LocalDateTime.parse("2001-01-01T00:00:00"), null),
        Arrays.asList(true, false, null)))).context(ctx).commit();

    JsonNode stats = addStats(dir.resolve("stats"), 1).get(0);
    assertThat(stats.get("numRecords").asLong()).isEqualTo(3);
    JsonNode min = stats.get("minValues");
    JsonNode max = stats.get("maxValues");
    JsonNode nulls = stats.get("nullCount");
    for (Field f : SCHEMA.fields().subList(0, SCHEMA.fields().size() - 1)) { // all but the boolean
      assertThat(nulls.path(f.name()).asLong(-1)).as("null count of %s in %s", f.name(), stats).isEqualTo(1);
    }
    assertThat(min.get("i8").asInt()).isEqualTo(-7);
    assertThat(max.get("i8").asInt()).isEqualTo(3);
    assertThat(min.get("i32").asInt()).isEqualTo(-5);
    assertThat(max.get("i32").asInt()).isEqualTo(1);
    assertThat(min.get("i64").asLong()).isEqualTo(-1);
    assertThat(max.get("i64").asLong()).isEqualTo(10_000_000_000L);
    assertThat(min.get("f32").asDouble()).isEqualTo(1.5);
    assertThat(max.has("f32")).as("NaN sorts above every number: no maximum").isFalse();
    assertThat(min.get("f64").asDouble()).isEqualTo(-3.5);
    assertThat(max.get("f64").asDouble()).isEqualTo(2.25);
    assertThat(min.get("dec").decimalValue()).isEqualByComparingTo("-2.50");
    assertThat(max.get("dec").decimalValue()).isEqualByComparingTo("1.10");
    assertThat(min.get("s").asText()).as("a long minimum is cut to 32 characters").isEqualTo(longText.substring(0, 32));
    assertThat(max.get("s").asText()).isEqualTo("b");
    assertThat(min.get(ODD).asText()).isEqualTo("q");
    assertThat(max.get(ODD).asText()).isEqualTo("r");
    assertThat(min.get("d").asText()).isEqualTo("1999-01-01");
    assertThat(max.get("d").asText()).isEqualTo("2024-02-29");
    // Delta's timestamp bounds are in milliseconds: the minimum may be cut down, the maximum must not fall below
    assertThat(Instant.parse(min.get("ts").asText())).isBeforeOrEqualTo(Instant.parse("1999-12-31T23:59:59Z"));
    assertThat(Instant.parse(max.get("ts").asText())).isAfterOrEqualTo(Instant.parse("2024-01-02T03:04:05.123Z"));
    assertThat(min.get("ntz").asText()).startsWith("2001-01-01T00:00");
    assertThat(max.get("ntz").asText()).startsWith("2024-01-02T03:04:05.5");
    assertThat(min.has("b") || max.has("b")).as("no bounds of booleans").isFalse();
  }

  @Test
  void skippingByTheWrittenBoundsOpensOnlyTheFilesAFilterNeeds() throws Exception {
    String odd = "we\"ird col";
    Schema schema = schema(odd);
    DeltaTable table = DeltaTable.builder("many", "many").schema(schema).property("delta.columnMapping.mode", "name").build();
    LakeContext ctx = context();
    table.create(ctx);
    // ten appends of ten rows each: ten files whose ranges do not overlap
    for (int a = 0; a < 10; a++) {
      List<List<?>> columns = new ArrayList<>();
      for (int c = 0; c < SCHEMA.fields().size(); c++) {
        columns.add(new ArrayList<>());
      }
      for (int r = 0; r < 10; r++) {
        int n = a * 10 + r;
        List<Object> row = List.of((byte) n, n, (long) n * 1_000, (float) n, n / 4.0, BigDecimal.valueOf(n, 2),
            String.format("s%03d", n), n % 2 == 0 ? "even" : "odd", LocalDate.of(2024, 1, 1).plusDays(n),
            Instant.parse("2024-01-01T00:00:00Z").plusSeconds(n * 3_600L), LocalDateTime.of(2024, 1, 1, 0, 0).plusMinutes(n),
            n % 3 == 0);
        for (int c = 0; c < row.size(); c++) {
          @SuppressWarnings("unchecked")
          List<Object> column = (List<Object>) columns.get(c);
          column.add(row.get(c));
        }
      }
      table.append(rows(schema, columns)).context(ctx).commit();
    }
    assertThat(addStats(dir.resolve("many"), 10)).hasSize(10);
    CountingStore store = new CountingStore();
    Catalog catalog = Catalog.builder("c").root(dir.toString()).storage(Storage.builder().store("file", store).build())
        .database("db", DeltaTable.builder("many", "many").build()).build();
    // row n is in file n / 10: a filter must open exactly the files of the rows it matches, and read all of them
    Map<String, IntPredicate> filters = new LinkedHashMap<>();
    filters.put("i8 = 42", n -> n == 42);
    filters.put("i32 BETWEEN 17 AND 23", n -> n >= 17 && n <= 23);
    filters.put("i64 > 95000", n -> n > 95);
    filters.put("f32 < 3", n -> n < 3);
    filters.put("f64 >= 24.5", n -> n >= 98);
    filters.put("dec = 0.57", n -> n == 57);
    filters.put("s = 's063'", n -> n == 63);
    filters.put("s > 's088'", n -> n > 88);
    filters.put("d = DATE '2024-02-10'", n -> n == 40);
    filters.put("ts < TIMESTAMPTZ '2024-01-01 05:00:00+00'", n -> n < 5);
    filters.put("ntz >= TIMESTAMP '2024-01-01 01:35:00'", n -> n >= 95);
    filters.put("\"" + odd.replace("\"", "\"\"") + "\" = 'even' AND i32 < 12", n -> n % 2 == 0 && n < 12);
    for (Map.Entry<String, IntPredicate> filter : filters.entrySet()) {
      long rows = IntStream.range(0, 100).filter(filter.getValue()).count();
      long files = IntStream.range(0, 100).filter(filter.getValue()).map(n -> n / 10).distinct().count();
      store.reset();
      try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM db.many WHERE " + filter.getKey()).collect()) {
        assertThat(((Number) df.get(0, "n")).longValue()).as(filter.getKey()).isEqualTo(rows);
      }
      assertThat(store.dataFilesOpened()).as("files opened for " + filter.getKey()).hasSize((int) files);
    }
  }

  /** The parsed statistics of every file added in the log's first {@code versions} appends. */
  private static List<JsonNode> addStats(Path table, int versions) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (int v = 1; v <= versions; v++) {
      for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", v)))) {
        JsonNode action = JSON.readTree(line);
        if (action.has("add")) {
          out.add(JSON.readTree(action.get("add").get("stats").asText()));
        }
      }
    }
    return out;
  }
}
