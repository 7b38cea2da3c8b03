package io.neuralake.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog export of the example catalog: valid against its schema, complete, and from metadata only. */
class CatalogExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static DemoLake demo;

  @BeforeAll
  static void lake() {
    demo = DemoLake.create(dir);
  }

  @AfterAll
  static void close() {
    demo.close();
  }

  static List<Error> validate(String json) {
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(CatalogExport.jsonSchema(), InputFormat.JSON);
    return schema.validate(json, InputFormat.JSON);
  }

  @Test
  void theExampleCatalogsExportValidatesAgainstItsSchema() {
    CatalogExport export = CatalogExport.of(demo.catalog, DemoLake.SOURCES.toString());
    assertThat(export.problems()).isEmpty();
    assertThat(validate(export.json())).isEmpty();
  }

  @Test
  void theSchemaRejectsWhatTheFormatDoesNotHave() throws IOException {
    JsonNode doc = JSON.readTree(CatalogExport.of(demo.catalog, "demo").json());
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("databases").get(0).path("tables").get(0))
        .put("latency_info", "a key the format does not have");
    assertThat(validate(doc.toString())).extracting(Error::getMessage).anyMatch(m -> m.contains("latency_info"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("format_version", 2);
    assertThat(validate(doc.toString())).isNotEmpty();
  }

  @Test
  void everyTableHasWhatTheCatalogSaysAboutIt() throws IOException {
    JsonNode doc = JSON.readTree(CatalogExport.of(demo.catalog, "demo").json());
    assertThat(doc.path("format_version").asInt()).isEqualTo(CatalogExport.FORMAT_VERSION);
    assertThat(doc.path("catalog").path("name").asText()).isEqualTo("demo");
    JsonNode spikes = table(doc, "bci", "spikes");
    assertThat(spikes.path("kind").asText()).isEqualTo("parquet");
    assertThat(spikes.path("description").asText()).startsWith("Binned spike counts");
    assertThat(spikes.path("data_input").asText()).startsWith("Implant telemetry");
    assertThat(spikes.path("latency").asText()).startsWith("Written once a day");
    assertThat(spikes.path("partitions").toString())
        .isEqualTo("[{\"column\":\"implant_id\",\"type\":\"int64\"},{\"column\":\"date\",\"type\":\"string\"}]");
    assertThat(spikes.path("docs_filters").get(0).path("text").asText()).isEqualTo("implant_id = 4595");
    assertThat(spikes.path("docs_filters").get(0).path("value").asLong()).isEqualTo(4595);
    assertThat(column(spikes, "implant_id").path("badges").toString()).contains("partition");
    assertThat(column(spikes, "channel").path("type").asText()).isEqualTo("int32");
    assertThat(spikes.path("details").path("partition_count").asLong()).isEqualTo(9);

    JsonNode orders = table(doc, "tpch", "orders");
    assertThat(orders.path("kind").asText()).isEqualTo("delta");
    assertThat(orders.path("versioned").asBoolean()).isTrue();
    assertThat(column(orders, "o_orderkey").path("nullable").asBoolean()).isFalse();
    assertThat(column(orders, "o_orderstatus").path("badges").toString()).contains("partition");
    assertThat(column(orders, "o_totalprice").path("badges").toString()).contains("stats");
    JsonNode details = orders.path("details");
    assertThat(details.path("version").asLong()).isEqualTo(1);
    assertThat(details.path("file_count").asLong()).isPositive();
    assertThat(details.path("size_bytes").asLong()).isPositive();
    assertThat(details.path("row_count").asLong()).isEqualTo(15_000);
    assertThat(details.path("partition_count").asLong()).isEqualTo(3);
    JsonNode latest = orders.path("history").get(0);
    assertThat(latest.path("version").asLong()).isEqualTo(1);
    assertThat(latest.path("operation").asText()).isNotEmpty();
    assertThat(latest.path("rows").asLong()).isEqualTo(15_000);

    JsonNode supplier = table(doc, "tpch", "supplier");
    assertThat(supplier.path("kind").asText()).isEqualTo("function");
    assertThat(supplier.path("details").path("version").isNull()).isTrue();
    assertThat(supplier.path("snippets").findValuesAsText("id")).containsExactly("java", "run", "sql", "curl", "psql",
        "python");
  }

  @Test
  void exportingReadsMetadataOnlyNeverADeltaTablesDataFiles() throws IOException {
    Path copy = dir.resolve("no-data");
    try (DemoLake bare = DemoLake.create(copy)) {
      // the Delta table keeps its log; every data file becomes zeros of its size: any read of its rows or its
      // footer would fail (planning may still see that the file is there)
      int zeroed = 0;
      try (Stream<Path> files = Files.walk(bare.lake.resolve("orders"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
            .toList()) {
          Files.write(f, new byte[(int) Files.size(f)]);
          zeroed++;
        }
      }
      assertThat(zeroed).isPositive();
      assertThatThrownBy(() -> bare.reload().db("tpch").table("orders").collect().close())
          .as("reading the zeroed rows fails, so an export that read them would have failed too").isNotNull();
      CatalogExport export = CatalogExport.of(bare.reload(), "demo");
      assertThat(export.problems()).isEmpty();
      JsonNode orders = table(JSON.readTree(export.json()), "tpch", "orders");
      assertThat(orders.path("details").path("row_count").asLong()).isEqualTo(15_000);
      assertThat(orders.path("history")).isNotEmpty();
    }
  }

  @Test
  void aTableWhoseMetadataCannotBeReadIsExportedWithItsProblem() throws IOException {
    Path copy = dir.resolve("no-spikes");
    try (DemoLake broken = DemoLake.create(copy)) {
      try (Stream<Path> files = Files.walk(broken.lake.resolve("spikes"))) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      CatalogExport export = CatalogExport.of(broken.reload(), "demo");
      assertThat(export.problems()).isNotEmpty().allMatch(p -> p.contains("bci.spikes"));
      assertThat(validate(export.json())).isEmpty();
    }
  }

  static JsonNode table(JsonNode doc, String db, String table) {
    for (JsonNode d : doc.path("databases")) {
      for (JsonNode t : d.path("tables")) {
        if (t.path("qualified_name").asText().equals(db + "." + table)) {
          return t;
        }
      }
    }
    throw new AssertionError("no table " + db + "." + table + " in the export");
  }

  private static JsonNode column(JsonNode table, String name) {
    for (JsonNode c : table.path("columns")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no column " + name + " in " + table.path("qualified_name").asText());
  }
}
