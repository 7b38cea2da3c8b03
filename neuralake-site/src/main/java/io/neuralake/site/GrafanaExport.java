package io.neuralake.site;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuralake.catalog.Catalog;
import io.neuralake.site.internal.grafana.DashboardWriter;
import io.neuralake.site.internal.grafana.PgUrl;
import io.neuralake.site.internal.grafana.Provisioning;
import io.neuralake.spi.FileWrites;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grafana dashboards generated from the catalog's definitions, and the provisioning files that load them: one
 * dashboard per database (a time-series panel of rows per interval for each table with a timestamp or date column,
 * a table panel of the first rows otherwise, and a variable per partition column the docs filters name), all
 * querying the server's PostgreSQL door through one data source. From metadata only: no table's rows are read.
 *
 * <pre>{@code
 * GrafanaExport grafana = GrafanaExport.builder(catalog).pgUrl("postgresql://grafana@lake.internal:5433/demo").build();
 * grafana.writeTo(Path.of("grafana"));
 * }</pre>
 *
 * <p>Files written under the output folder: {@code dashboards/<database>.json},
 * {@code provisioning/datasources/neuralake.yaml} and {@code provisioning/dashboards/neuralake.yaml}. Grafana reads
 * the data source's user and password from its environment ({@code NEURALAKE_GRAFANA_USER},
 * {@code NEURALAKE_GRAFANA_PASSWORD}); no credential is written.
 */
public final class GrafanaExport {
  /** Where Grafana finds the dashboards unless told otherwise: copy {@code dashboards/} there. */
  public static final String DEFAULT_DASHBOARDS_PATH = "/var/lib/grafana/dashboards/neuralake";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String dataSource;
  private final String provider;
  private final Map<String, String> dashboards;
  private final List<String> problems;

  private GrafanaExport(String dataSource, String provider, Map<String, String> dashboards, List<String> problems) {
    this.dataSource = dataSource;
    this.provider = provider;
    this.dashboards = dashboards;
    this.problems = problems;
  }

  public static Builder builder(Catalog catalog) {
    return new Builder(requireNonNull(catalog, "catalog"));
  }

  /** Dashboards by file name ({@code <database>.json}), in the catalog's database order. */
  public Map<String, String> dashboards() {
    return dashboards;
  }

  /** The data source's provisioning file (YAML). */
  public String dataSourceYaml() {
    return dataSource;
  }

  /** The dashboard provider's provisioning file (YAML). */
  public String dashboardProviderYaml() {
    return provider;
  }

  /** Tables whose columns could not be read from metadata, one line each; their panels show their first rows. */
  public List<String> problems() {
    return problems;
  }

  /** Writes the files under {@code dir} (each replaced atomically) and returns their paths. */
  public List<Path> writeTo(Path dir) {
    List<Path> written = new ArrayList<>();
    dashboards.forEach((file, json) -> written.add(write(dir.resolve("dashboards").resolve(file), json)));
    written.add(write(dir.resolve("provisioning/datasources/neuralake.yaml"), dataSource));
    written.add(write(dir.resolve("provisioning/dashboards/neuralake.yaml"), provider));
    return written;
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new UncheckedIOException("cannot create the folder " + file.getParent() + ": " + e.getMessage(), e);
    }
    FileWrites.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    return file;
  }

  /** How Grafana reaches the server, and where it keeps the dashboards. */
  public static final class Builder {
    private final Catalog catalog;
    private PgUrl url;
    private String dashboardsPath = DEFAULT_DASHBOARDS_PATH;

    private Builder(Catalog catalog) {
      this.catalog = catalog;
      this.url = PgUrl.local(catalog.name());
    }

    /**
     * The server's PostgreSQL door as Grafana reaches it: {@code postgresql://[user@]host[:port]/database
     * [?sslmode=...]}; default {@code postgresql://127.0.0.1:5433/<catalog name>}. A password in the URL is refused.
     */
    public Builder pgUrl(String pgUrl) {
      this.url = PgUrl.parse(requireNonNull(pgUrl, "pgUrl"), catalog.name());
      return this;
    }

    /** The folder on Grafana's machine its dashboard provider reads ({@link #DEFAULT_DASHBOARDS_PATH} by default). */
    public Builder dashboardsPath(String path) {
      this.dashboardsPath = requireNonNull(path, "path");
      return this;
    }

    public GrafanaExport build() {
      String dataSourceUid = Provisioning.uid("neuralake", catalog.name());
      DashboardWriter writer = new DashboardWriter(catalog.name(), dataSourceUid, catalog.context());
      Map<String, String> dashboards = new LinkedHashMap<>();
      for (String db : catalog.dbs()) {
        String json = pretty(writer.dashboard(catalog.db(db), Provisioning.uid("neuralake", catalog.name(), db)));
        dashboards.put(db.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json", json);
      }
      return new GrafanaExport(Provisioning.dataSource(catalog.name(), dataSourceUid, url),
          Provisioning.dashboardProvider(catalog.name(), dashboardsPath),
          java.util.Collections.unmodifiableMap(dashboards), writer.problems());
    }

    private static String pretty(Object node) {
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a dashboard is plain JSON", e);
      }
    }
  }
}
