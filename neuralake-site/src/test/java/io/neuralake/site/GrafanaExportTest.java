package io.neuralake.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana export of the example catalog, against golden files in src/test/resources/grafana (rewrite them with
 * {@code -Dneuralake.golden.update=true} after a deliberate change, and read the diff). The panels' SQL is run
 * against a live server by the CLI module's GrafanaDashboardsIT.
 */
class GrafanaExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = Path.of("src/test/resources/grafana");
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

  @Test
  void theExampleCatalogsDashboardsAndProvisioningMatchTheGoldenFiles() throws IOException {
    GrafanaExport export = GrafanaExport.builder(demo.catalog).build();
    assertThat(export.problems()).isEmpty();
    Path out = dir.resolve("grafana");
    List<Path> written = export.writeTo(out);
    assertThat(written).extracting(p -> out.relativize(p).toString().replace('\\', '/')).containsExactly(
        "dashboards/tpch.json", "dashboards/bci.json",
        "provisioning/datasources/neuralake.yaml", "provisioning/dashboards/neuralake.yaml");
    for (Path file : written) {
      Path golden = GOLDEN.resolve(out.relativize(file).toString());
      String actual = Files.readString(file, StandardCharsets.UTF_8);
      if (Boolean.getBoolean("neuralake.golden.update")) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
      }
      assertThat(actual).as("%s (rewrite with -Dneuralake.golden.update=true if the change is meant)", golden)
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
  }

  @Test
  void tablesWithATimeColumnGetTimeSeriesAndDocsFiltersOnPartitionsBecomeVariables() throws IOException {
    Map<String, String> dashboards = GrafanaExport.builder(demo.catalog).build().dashboards();
    JsonNode bci = JSON.readTree(dashboards.get("bci.json"));
    assertThat(bci.path("schemaVersion").asInt()).isEqualTo(39);
    JsonNode spikes = panel(bci, "bci.spikes");
    assertThat(spikes.path("type").asText()).isEqualTo("timeseries");
    assertThat(spikes.at("/targets/0/rawSql").asText())
        .contains("$__timeGroupAlias(ts, $__interval)", "$__timeFilter(ts)", "implant_id IN ($implant_id)",
            "\"date\" IN ($date)");
    assertThat(bci.at("/templating/list")).extracting(v -> v.path("name").asText())
        .containsExactly("implant_id", "date");
    assertThat(bci.at("/templating/list/0/current/value/0").asText()).isEqualTo("4595");
    JsonNode tpch = JSON.readTree(dashboards.get("tpch.json"));
    assertThat(panel(tpch, "tpch.orders").path("type").asText()).isEqualTo("timeseries");
    assertThat(panel(tpch, "tpch.orders").at("/targets/0/rawSql").asText()).contains("$__timeFilter(o_orderdate)");
    assertThat(panel(tpch, "tpch.part").path("type").asText()).isEqualTo("table");
    assertThat(panel(tpch, "tpch.part").at("/targets/0/format").asText()).isEqualTo("table");
  }

  @Test
  void theDataSourceNamesTheDoorAndLeavesCredentialsToGrafanasEnvironment() {
    GrafanaExport export = GrafanaExport.builder(demo.catalog)
        .pgUrl("postgresql://lake.internal:6543/lake?sslmode=require").dashboardsPath("/srv/dash").build();
    assertThat(export.dataSourceYaml()).contains("url: \"lake.internal:6543\"", "database: \"lake\"",
        "sslmode: require", "user: ${NEURALAKE_GRAFANA_USER}", "password: ${NEURALAKE_GRAFANA_PASSWORD}");
    assertThat(export.dashboardProviderYaml()).contains("path: \"/srv/dash\"");
  }

  private static JsonNode panel(JsonNode dashboard, String title) {
    return StreamSupport.stream(dashboard.path("panels").spliterator(), false)
        .filter(p -> p.path("title").asText().equals(title)).findFirst()
        .orElseThrow(() -> new AssertionError("no panel " + title + " in " + dashboard.path("title")));
  }
}
