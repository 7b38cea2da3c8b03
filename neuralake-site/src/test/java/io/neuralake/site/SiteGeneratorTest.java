package io.neuralake.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.catalog.Catalog;
import io.neuralake.frame.Frame;
import io.neuralake.site.internal.Live;
import io.neuralake.site.internal.SiteWriter;
import io.neuralake.table.FunctionTable;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static site of the example catalog: its files, its links, and that its pages read what the export writes. */
class SiteGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LINK = Pattern.compile("(?:href|src)=\"([^\"]*)\"");
  @TempDir static Path dir;
  static DemoLake demo;
  static CatalogExport export;
  static Path site;
  static List<String> progress = new ArrayList<>();

  @BeforeAll
  static void generate() throws IOException {
    demo = DemoLake.create(dir);
    export = CatalogExport.of(demo.catalog, DemoLake.SOURCES.toString());
    site = dir.resolve("site");
    SiteGenerator.of(export).write(site, progress::add);
  }

  @AfterAll
  static void close() {
    demo.close();
  }

  @Test
  void writesAPagePerDatabaseAndTableBesideTheExportItsSchemaAndTheSearchIndex() throws IOException {
    for (String file : List.of("index.html", "catalog.json", "catalog.schema.json", "search-index.js",
        "assets/site.css", "assets/site.js", "db/bci/index.html", "db/bci/spikes.html", "db/bci/daily_spikes.html",
        "db/tpch/index.html", "db/tpch/orders.html", "db/tpch/part.html", "db/tpch/supplier.html")) {
      assertThat(site.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Files.readString(site.resolve("catalog.json"))).isEqualTo(export.json());
    assertThat(Files.readString(site.resolve("search-index.js"))).startsWith("window.NEURALAKE_SEARCH = [")
        .contains("\"o_totalprice\"");
    assertThat(progress).containsExactly("database tpch: 3 tables", "database bci: 2 tables");
    String orders = Files.readString(site.resolve("db/tpch/orders.html"));
    assertThat(orders).contains("Recent history", "15,000", "Stored table", ">delta<", "o_orderstatus",
        "CatalogLoader.load(", "role=\"tablist\"", "class=\"badge partition\"", "class=\"badge stats\"");
  }

  @Test
  void everyLinkIsRelativeAndResolvesInsideTheSite() throws IOException {
    try (Stream<Path> files = Files.walk(site)) {
      for (Path page : files.filter(p -> p.toString().endsWith(".html")).toList()) {
        Matcher m = LINK.matcher(Files.readString(page));
        while (m.find()) {
          String target = m.group(1).replaceAll("#.*", "");
          assertThat(target).as("a link in %s", site.relativize(page)).doesNotStartWith("/").doesNotContain("://");
          assertThat(page.getParent().resolve(target).normalize()).as("%s links to %s", site.relativize(page), target)
              .startsWith(site).exists();
        }
      }
    }
  }

  @Test
  void thePagesReadOnlyKeysTheExportWrites() throws IOException {
    JsonNode document = JSON.readTree(export.json());
    SiteWriter writer = new SiteWriter(document, export.json(), CatalogExport.jsonSchema(), Live.OFF);
    writer.renderAll();
    Set<String> written = new LinkedHashSet<>();
    keys(document, "$", written);
    assertThat(writer.reads()).isNotEmpty().isSubsetOf(written);
    // and the reader fails, naming the key, on an export without it
    ((ObjectNode) document.path("databases").get(0).path("tables").get(0)).remove("latency");
    assertThatThrownBy(() -> new SiteWriter(document, "", "", Live.OFF).renderAll())
        .hasMessageContaining("$.databases[].tables[].latency");
  }

  @Test
  void catalogStringsAreEscapedEverywhere() throws IOException {
    String evil = "<script>alert('x')</script> & \"quotes\"";
    FunctionTable table = FunctionTable.builder("evil", () -> Frame.fromColumns(Map.of("a", List.of(1L))))
        .description(evil).dataInput(evil).latencyInfo(evil).exampleNotebook("javascript:alert(1)").deprecated(evil)
        .schema(Schema.of(Field.of("a", DataType.INT64).withDescription(evil))).build();
    Catalog catalog = Catalog.builder("c").runtime(demo.runtime).database("db", evil, List.of(table)).build();
    Path out = dir.resolve("evil-site");
    SiteGenerator.of(CatalogExport.of(catalog, evil)).write(out, line -> { });
    for (String page : List.of("index.html", "db/db/index.html", "db/db/evil.html")) {
      String html = Files.readString(out.resolve(page));
      assertThat(html).as(page).doesNotContain("<script>alert").doesNotContain("href=\"javascript:")
          .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;");
    }
    assertThat(Files.readString(out.resolve("search-index.js"))).doesNotContain("</script>");
  }

  @Test
  void aThousandTableCatalogGetsASearchIndexUnderOneMegabyte() throws IOException {
    List<io.neuralake.table.TableDefinition> tables = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      fields.add(Field.of("measurement_column_" + c, DataType.FLOAT64));
    }
    for (int t = 0; t < 1_000; t++) {
      tables.add(FunctionTable.builder("table_" + t, () -> {
        throw new AssertionError("generating the site must not call a function table that declares its schema");
      }).description("Generated table number " + t + " of the thousand-table catalog.")
          .schema(new Schema(fields)).build());
    }
    Catalog big = Catalog.builder("big").runtime(demo.runtime).database("many", "", tables).build();
    Path out = dir.resolve("big-site");
    long start = System.nanoTime();
    SiteGenerator.of(CatalogExport.of(big, "big")).write(out, line -> { });
    // reported, not asserted: timings belong in the benchmarks
    org.slf4j.LoggerFactory.getLogger(SiteGeneratorTest.class).info("1,000 tables: site written in {} ms, index {} bytes",
        (System.nanoTime() - start) / 1_000_000, Files.size(out.resolve("search-index.js")));
    assertThat(Files.size(out.resolve("search-index.js"))).isLessThanOrEqualTo(1_000_000);
    assertThat(out.resolve("db/many/table_999.html")).isRegularFile();
  }

  /** Every key path in the document, as the site's reader names them ({@code $.databases[].name}). */
  private static void keys(JsonNode node, String path, Set<String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.add(path + "." + e.getKey());
        keys(e.getValue(), path + "." + e.getKey(), out);
      }
    } else if (node.isArray()) {
      node.forEach(item -> keys(item, path + "[]", out));
    }
  }

  @Test
  void aStaticSiteHasNoLivePartsAndALiveOneCarriesThemWithUplot() throws IOException {
    String staticPage = Files.readString(site.resolve("db/tpch/orders.html"));
    assertThat(staticPage).doesNotContain("live-section", "live.js", "uPlot", "data-live", "id=\"token\"");
    assertThat(site.resolve("assets/live.js")).doesNotExist();

    java.util.Map<String, byte[]> live = SiteGenerator.of(export).live(true).render();
    assertThat(live).containsKeys("assets/live.js", "assets/live.css", "assets/uPlot.iife.min.js",
        "assets/uPlot.min.css", "db/tpch/orders.html", "catalog.json");
    assertThat(new String(live.get("assets/uPlot.iife.min.js"), java.nio.charset.StandardCharsets.UTF_8))
        .contains("uPlot");
    String page = new String(live.get("db/tpch/orders.html"), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(page).contains("data-live=\"api/\"", "data-token=\"required\"", "id=\"token\"", "id=\"live-section\"",
        "data-table=\"tpch.orders\"", "../../assets/uPlot.iife.min.js", "../../assets/live.js");
    // the preview reads the example slice: the docs filters, as the SQL snippet writes them
    String spikes = new String(live.get("db/bci/spikes.html"), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(spikes).contains("data-preview-sql=\"SELECT * FROM bci.spikes WHERE implant_id = 4595 AND date ="
        + " &#39;2024-04-28&#39; LIMIT 10\"");
    assertThat(new String(SiteGenerator.of(export).live(false).render().get("index.html"),
        java.nio.charset.StandardCharsets.UTF_8)).contains("data-token=\"none\"").doesNotContain("id=\"token\"");
  }

  @Test
  void theTokenPageEscapesItsTextAndShowsNoCatalogContent() {
    String page = SiteGenerator.signInPage("<lake>", "db/tpch/orders.html", "the token is <not> valid");
    assertThat(page).contains("&lt;lake&gt;", "the token is &lt;not&gt; valid", "../../assets/live.js", "id=\"token\"")
        .doesNotContain("<lake>", "orders.html\"", "o_orderkey");
  }
}
