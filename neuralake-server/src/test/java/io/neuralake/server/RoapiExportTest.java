package io.neuralake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.neuralake.catalog.Catalog;
import io.neuralake.table.ParquetTable;
import io.neuralake.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoapiExportTest {
  @TempDir static java.nio.file.Path dir;
  static ServerFixture fixture;

  @BeforeAll
  static void lake() {
    fixture = ServerFixture.create(dir);
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void everyFileTableIsAnEntryWithItsUriFormatSchemaAndTypedPartitions() throws Exception {
    RoapiExport.Export export = RoapiExport.of(fixture.catalog);
    JsonNode tables = new ObjectMapper(new YAMLFactory()).readTree(export.yaml()).get("tables");
    assertThat(names(tables)).containsExactly("bci_spikes", "tpch_part", "tpch_orders");
    assertThat(export.skipped()).isEmpty();

    JsonNode spikes = tables.get(0);
    assertThat(spikes.get("uri").asText()).isEqualTo(fixture.lake.resolve("spikes").toString());
    assertThat(spikes.get("option").get("format").asText()).isEqualTo("parquet");
    assertThat(spikes.get("partition_columns").toString())
        .isEqualTo("[{\"name\":\"implant_id\",\"data_type\":\"Int64\",\"nullable\":true},"
            + "{\"name\":\"date\",\"data_type\":\"Utf8\",\"nullable\":true}]");
    List<String> fileColumns = new ArrayList<>();
    spikes.get("schema").get("columns").forEach(c -> fileColumns.add(c.get("name").asText()));
    // the file columns, without the partition columns (ROAPI appends those from the folders)
    assertThat(fileColumns).isNotEmpty().doesNotContain("implant_id", "date");
    assertThat(fileColumns).isEqualTo(fixture.catalog.db("bci").table("spikes").schema().names().stream()
        .filter(n -> !n.equals("implant_id") && !n.equals("date")).toList());

    JsonNode part = tables.get(1);
    assertThat(part.get("uri").asText()).isEqualTo(fixture.lake.resolve("parts.parquet").toString());
    assertThat(part.has("partition_columns")).isFalse();

    JsonNode orders = tables.get(2);
    assertThat(orders.get("uri").asText()).isEqualTo(fixture.lake.resolve("orders").toString());
    assertThat(orders.get("option").get("format").asText()).isEqualTo("delta");
    assertThat(orders.has("schema")).isFalse(); // Delta: ROAPI reads columns and partitions from the log
  }

  @Test
  void tablesRoapiCannotReadAreLeftOutWithTheReason() {
    Catalog c = Catalog.builder("x").runtime(fixture.runtime)
        .database("db", io.neuralake.table.FunctionTable.builder("f", () -> null).build())
        .database("tpch", ParquetTable.builder("part", "parts.parquet").build())
        .build();
    RoapiExport.Export export = RoapiExport.of(c);
    assertThat(export.skipped()).containsExactly("db.f: a function table: ROAPI reads Parquet and Delta files only");
    assertThat(export.yaml()).contains("name: tpch_part").doesNotContain("db_f");
  }

  @Test
  void twoTablesWithTheSameRoapiNameAreAnError() {
    Catalog c = Catalog.builder("x").runtime(fixture.runtime)
        .database("a_b", ParquetTable.builder("c", "parts.parquet").build())
        .database("a", ParquetTable.builder("b_c", "parts.parquet").build())
        .build();
    assertThatThrownBy(() -> RoapiExport.of(c)).hasMessageContaining("a_b.c and a.b_c would both be named a_b_c");
  }

  @Test
  void typesAreSpelledAsArrowsSerdeNames() {
    assertThat(RoapiExport.arrowType(DataType.INT32)).contains("Int32");
    assertThat(RoapiExport.arrowType(DataType.STRING)).contains("Utf8");
    assertThat(RoapiExport.arrowType(DataType.DATE)).contains("Date32");
    assertThat(RoapiExport.arrowType(DataType.decimal(12, 2))).contains(Map.of("Decimal128", List.of(12, 2)));
    assertThat(RoapiExport.arrowType(DataType.TIMESTAMP_TZ)).contains(Map.of("Timestamp", List.of("Microsecond", "UTC")));
    assertThat(RoapiExport.arrowType(DataType.list(DataType.INT64))).isEqualTo(Optional.empty());
  }

  private static List<String> names(JsonNode tables) {
    List<String> out = new ArrayList<>();
    tables.forEach(t -> out.add(t.get("name").asText()));
    return out;
  }
}
