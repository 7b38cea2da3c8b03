package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code neuralake export grafana} end to end: the packaged jar serves the demo lake and writes the dashboards and
 * provisioning; then, as Grafana would, the test connects where the data source file points (user and password
 * from "Grafana's environment"), sends the health check and every variable's and panel's SQL with the macros
 * expanded as Grafana documents them, over the simple query protocol, and checks rows come back (a "time" column
 * for time series).
 */
class GrafanaExportIT {
  // test-only secret, read by the users file as ${GRAFANA_IT_PASSWORD} and by "Grafana" from its environment
  private static final String PASSWORD = "grafana-it-password-0001";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  @TempDir static Path work;

  @Test
  void everyPanelAndVariableReturnsRowsOverThePostgresDoorAsGrafanaSendsThem() throws Exception {
    Cli.Result demo = Cli.jar(work, Map.of(), "demo", "--dir", "lake");
    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    Path lake = work.resolve("lake");
    Map<String, String> env = Map.of("NEURALAKE_LAKE_ROOT", lake.toString(),
        "NEURALAKE_CACHE_DIR", work.resolve("cache").toString(), "GRAFANA_IT_PASSWORD", PASSWORD);
    Path users = work.resolve("users.yaml");
    Files.writeString(users, """
        users:
          - name: grafana
            password: ${GRAFANA_IT_PASSWORD}
        """);
    List<String> args = new ArrayList<>(List.of("serve", "--catalog", lake.resolve("catalog").toString(),
        "--auth", users.toString()));
    List<String> ports = Cli.freeDoorPorts();
    args.addAll(ports);
    String pgPort = ports.get(ports.indexOf("--pg-port") + 1);
    Path log = work.resolve("serve.log");
    Process server = Cli.startJar(work, env, log, args.toArray(String[]::new));
    try {
      Cli.awaitLine(server, log, "ready (SIGTERM or Ctrl-C stops it)");
      Cli.Result export = Cli.jar(work, env, "export", "grafana", "--catalog", lake.resolve("catalog").toString(),
          "--out", "grafana", "--pg-url", "postgresql://grafana@127.0.0.1:" + pgPort + "/demo");
      assertThat(export.exitCode()).as(export.toString()).isZero();
      assertThat(export.err()).contains("wrote").doesNotContain("warning");
      Path out = work.resolve("grafana");
      try (Connection c = connect(out.resolve("provisioning/datasources/neuralake.yaml"));
           Statement s = c.createStatement()) {
        s.setQueryTimeout(60);
        s.execute("-- ping"); // Grafana's health check (pgx's Ping)
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(out.resolve("dashboards"))) {
          dashboards = files.sorted().toList();
        }
        assertThat(dashboards).extracting(p -> p.getFileName().toString()).containsExactly("bci.json", "tpch.json");
        int timeSeries = 0;
        for (Path file : dashboards) {
          timeSeries += replay(s, JSON.readTree(file.toFile()));
        }
        assertThat(timeSeries).as("time-series panels (bci.spikes, tpch.orders)").isEqualTo(2);
      }
    } finally {
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  /** Connects where the provisioned data source points, with the credentials Grafana's environment would give. */
  private static Connection connect(Path dataSourceFile) throws Exception {
    JsonNode ds = YAML.readTree(dataSourceFile.toFile()).path("datasources").get(0);
    assertThat(ds.path("type").asText()).isEqualTo("grafana-postgresql-datasource");
    assertThat(ds.path("secureJsonData").path("password").asText()).isEqualTo("${NEURALAKE_GRAFANA_PASSWORD}");
    Properties props = new Properties();
    props.setProperty("user", ds.path("user").asText());
    props.setProperty("password", PASSWORD);
    props.setProperty("sslmode", ds.path("jsonData").path("sslmode").asText());
    props.setProperty("preferQueryMode", "simple"); // Grafana sends panel SQL as simple queries
    return DriverManager.getConnection("jdbc:postgresql://" + ds.path("url").asText() + "/"
        + ds.path("jsonData").path("database").asText(), props);
  }

  /** Runs a dashboard's variables, then its panels with the variables' default values; returns its time series. */
  private static int replay(Statement s, JsonNode dashboard) throws Exception {
    Map<String, List<String>> variables = new LinkedHashMap<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      List<String> values = column(s, v.path("query").asText());
      List<String> defaults = new ArrayList<>();
      v.path("current").path("value").forEach(x -> defaults.add(x.asText()));
      assertThat(values).as("values of $%s", v.path("name").asText()).containsAll(defaults);
      variables.put(v.path("name").asText(), defaults);
    }
    GrafanaMacros grafana = new GrafanaMacros(Instant.parse("1990-01-01T00:00:00Z"), Instant.now(), "1d", variables);
    int timeSeries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      String sql = grafana.expand(panel.at("/targets/0/rawSql").asText());
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(rs.next()).as("rows from %s: %s", panel.path("title").asText(), sql).isTrue();
        if (panel.path("type").asText().equals("timeseries")) {
          timeSeries++;
          assertThat(md.getColumnLabel(1)).as(sql).isEqualTo("time");
          assertThat(rs.getDouble(1)).as("epoch seconds").isGreaterThan(0);
          assertThat(rs.getLong("rows")).isPositive();
        }
      }
    }
    return timeSeries;
  }

  private static List<String> column(Statement s, String sql) throws Exception {
    List<String> values = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
