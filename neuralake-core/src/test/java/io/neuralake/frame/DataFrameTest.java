package io.neuralake.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.testing.DuckDb;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFrameTest {
  @TempDir Path dir;

  record Part(long id, String name, Double price, LocalDate since) {}

  @Test
  void columnOrderFollowsOrderedMapsAndIsStableOtherwise() {
    Map<String, List<?>> ordered = new LinkedHashMap<>();
    ordered.put("z", List.of(1));
    ordered.put("a", List.of(2));
    try (DataFrame df = DataFrame.fromColumns(ordered)) {
      assertThat(df.columnNames()).containsExactly("z", "a");
    }
    try (DataFrame df = DataFrame.fromColumns(Map.of("z", List.of(1), "a", List.of(2), "m", List.of(3)))) {
      assertThat(df.columnNames()).containsExactly("a", "m", "z");
    }
  }

  @Test
  void typesAreInferredFromValues() {
    Map<String, List<?>> data = new LinkedHashMap<>();
    data.put("i", List.of(1, 2));
    data.put("mixed", List.of(1, 2L));
    data.put("f", List.of(1, 2.5));
    data.put("s", java.util.Arrays.asList("a", null));
    data.put("d", List.of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2)));
    data.put("t", List.of(LocalDateTime.of(2024, 1, 1, 12, 0), LocalDateTime.of(2024, 1, 1, 12, 0, 1)));
    data.put("tz", List.of(Instant.EPOCH, Instant.EPOCH));
    data.put("dec", List.of(new BigDecimal("1.50"), new BigDecimal("22.5")));
    data.put("l", List.of(List.of(1L, 2L), List.of()));
    data.put("st", List.of(Map.of("a", 1L), Map.of("a", 2L)));
    try (DataFrame df = DataFrame.fromColumns(data)) {
      assertThat(df.schema().fields().stream().map(f -> f.type().typeName()).toList()).containsExactly(
          "int32", "int64", "float64", "string", "date", "timestamp", "timestamp_tz", "decimal(4,2)", "list<int64>",
          "struct<a: int64>");
      assertThat(df.get(1, "s")).isNull();
      assertThat(df.get(1, "dec")).isEqualTo(new BigDecimal("22.50"));
      assertThat(df.get(0, "l")).isEqualTo(List.of(1L, 2L));
      assertThat(df.get(1, "st")).isEqualTo(Map.of("a", 2L));
      assertThat(df.get(0, "tz")).isEqualTo(Instant.EPOCH);
      assertThat(df.get(1, "t")).isEqualTo(LocalDateTime.of(2024, 1, 1, 12, 0, 1));
    }
  }

  @Test
  void recordsInAndOut() {
    List<Part> parts = List.of(new Part(1, "bolt", 0.5, LocalDate.of(2020, 1, 1)), new Part(2, "nut", null, null));
    try (DataFrame df = DataFrame.fromRecords(Part.class, parts)) {
      assertThat(df.schema().field("id")).isEqualTo(Field.required("id", DataType.INT64));
      assertThat(df.rowsAs(Part.class)).isEqualTo(parts);
      // and back through the engine
      try (DataFrame sorted = df.lazy().sort(SortKey.desc("id")).collect()) {
        assertThat(sorted.rowsAs(Part.class)).containsExactly(parts.get(1), parts.get(0));
      }
    }
  }

  @Test
  void rowsAsMaps() {
    try (DataFrame df = DataFrame.fromRows(List.of(Map.of("a", 1L), Map.of("a", 2L, "b", "x")))) {
      assertThat(df.columnNames()).containsExactly("a", "b");
      assertThat(df.rows().get(0)).containsEntry("a", 1L).containsEntry("b", null);
      assertThat(df.column("b")).containsExactly(null, "x");
    }
  }

  @Test
  void printsABoxedTableLikePolars() {
    Map<String, List<?>> data = new LinkedHashMap<>();
    data.put("p_partkey", List.of(1L, 2L));
    data.put("p_name", List.of("Part#1", "Part#2"));
    data.put("p_retailprice", List.of(10.0, 20.0));
    try (DataFrame df = DataFrame.fromColumns(data)) {
      assertThat(df.toString()).isEqualTo("""
          shape: (2, 3)
          ┌───────────┬────────┬───────────────┐
          │ p_partkey ┆ p_name ┆ p_retailprice │
          │ ---       ┆ ---    ┆ ---           │
          │ i64       ┆ str    ┆ f64           │
          ╞═══════════╪════════╪═══════════════╡
          │ 1         ┆ Part#1 ┆ 10.0          │
          │ 2         ┆ Part#2 ┆ 20.0          │
          └───────────┴────────┴───────────────┘""");
    }
  }

  @Test
  void longAndWideFramesAreTruncated() {
    Map<String, List<?>> data = new LinkedHashMap<>();
    for (int c = 0; c < 12; c++) {
      List<Long> values = new ArrayList<>();
      for (long r = 0; r < 25; r++) {
        values.add(r * 100 + c);
      }
      data.put("c" + c, values);
    }
    try (DataFrame df = DataFrame.fromColumns(data)) {
      String text = df.toString();
      assertThat(text).startsWith("shape: (25, 12)");
      List<String> lines = text.lines().toList();
      // header (5 lines) + 5 rows + … + 5 rows + bottom border
      assertThat(lines).hasSize(1 + 5 + 11 + 1);
      assertThat(lines.get(2)).contains("c0").contains("c3").contains("…").contains("c8").contains("c11")
          .doesNotContain("c4 ").doesNotContain("c7 ");
      assertThat(lines.get(6)).contains("│ 0 ");
      assertThat(lines.get(11)).contains("…");
      assertThat(lines.get(16)).contains("2400");
    }
  }

  @Test
  void writesParquetCsvAndJsonReadableByOthers() throws Exception {
    Map<String, List<?>> data = new LinkedHashMap<>();
    data.put("id", List.of(1L, 2L));
    data.put("name", List.of("a,b", "c\"d"));
    try (DataFrame df = DataFrame.fromColumns(data); DuckDb duck = new DuckDb()) {
      df.writeParquet(dir.resolve("out.parquet"));
      df.writeCsv(dir.resolve("out.csv"));
      df.writeJson(dir.resolve("out.json"));
      assertThat(duck.rows("SELECT * FROM read_parquet('" + dir.resolve("out.parquet") + "') ORDER BY id"))
          .containsExactly("1 | a,b", "2 | c\"d");
      assertThat(Files.readAllLines(dir.resolve("out.csv"))).containsExactly("id,name", "1,\"a,b\"", "2,\"c\"\"d\"");
      assertThat(Files.readAllLines(dir.resolve("out.json"))).containsExactly(
          "{\"id\":1,\"name\":\"a,b\"}", "{\"id\":2,\"name\":\"c\\\"d\"}");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("out.parquet", "out.csv", "out.json");
    }
  }

  @Test
  void aFailedWriteLeavesNoFile() {
    Frame bad = Frame.fromColumns(Map.of("x", List.of("a"))).select(Expr.sql("CAST(x AS INTEGER)").as("y"));
    assertThatThrownBy(() -> bad.writeParquet(dir.resolve("bad.parquet"))).hasMessageContaining("query failed");
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void exportsArrowIpc() throws Exception {
    try (DataFrame df = DataFrame.fromColumns(Map.of("x", List.of(1L, 2L, 3L)))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      df.writeArrowIpc(out);
      try (RootAllocator allocator = new RootAllocator();
          ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
        assertThat(reader.loadNextBatch()).isTrue();
        assertThat(reader.getVectorSchemaRoot().getRowCount()).isEqualTo(3);
        assertThat(reader.getVectorSchemaRoot().getVector("x").getObject(2)).isEqualTo(3L);
      }
    }
  }

  @Test
  void badColumnsAreReported() {
    assertThatThrownBy(() -> DataFrame.fromColumns(Map.of("x", List.of(1, "a"))))
        .hasMessageContaining("column 'x' mixes values of types i32 and str");
    Map<String, List<?>> uneven = new LinkedHashMap<>();
    uneven.put("a", List.of(1));
    uneven.put("b", List.of(1, 2));
    assertThatThrownBy(() -> DataFrame.fromColumns(uneven)).hasMessageContaining("column 'b' has 2 values but column 'a' has 1");
    assertThatThrownBy(() -> DataFrame.fromColumns(Schema.of(Field.required("a", DataType.INT64)),
        List.of(java.util.Arrays.asList(1L, null)))).hasMessageContaining("column 'a' does not allow nulls, but row 1 is null");
    assertThatThrownBy(() -> DataFrame.fromColumns(Schema.of(Field.of("a", DataType.INT8)), List.of(List.of(1000))))
        .hasMessageContaining("column 'a' of type i8 cannot hold the value 1000");
  }

  @Test
  void aClosedFrameSaysSo() {
    DataFrame df = DataFrame.fromColumns(Map.of("x", List.of(1L)));
    df.close();
    df.close();
    assertThatThrownBy(() -> df.column("x")).hasMessageContaining("was closed");
  }
}
