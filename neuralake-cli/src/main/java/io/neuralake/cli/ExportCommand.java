package io.neuralake.cli;

import io.neuralake.server.RoapiExport;
import io.neuralake.site.GrafanaExport;
import io.neuralake.spi.FileWrites;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code neuralake export}: the catalog in other systems' configuration formats. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write the catalog as another system's configuration.",
    subcommands = {ExportCommand.Roapi.class, ExportCommand.Grafana.class})
final class ExportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "roapi", mixinStandardHelpOptions = true,
      description = "A ROAPI config (YAML) serving the catalog's Parquet and Delta tables as database_table, with"
          + " typed partition columns. Tables ROAPI cannot read are named on stderr.")
  static final class Roapi implements Callable<Integer> {
    @CommandLine.Mixin CatalogOption catalog;
    @CommandLine.Mixin Main.Common common;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
      RoapiExport.Export export = RoapiExport.of(catalog.load());
      if (out == null) {
        spec.commandLine().getOut().print(export.yaml());
        spec.commandLine().getOut().flush();
      } else {
        FileWrites.write(out, tmp -> Files.writeString(tmp, export.yaml(), StandardCharsets.UTF_8));
      }
      PrintWriter err = spec.commandLine().getErr();
      export.skipped().forEach(s -> err.println("skipped " + s));
      if (out != null) {
        err.println("wrote " + out);
      }
      err.flush();
      return 0;
    }
  }

  @Command(name = "grafana", mixinStandardHelpOptions = true,
      description = "Grafana dashboards, one per database (a time series per table with a timestamp or date column,"
          + " first rows otherwise, variables from the docs filters' partition columns), and provisioning files for"
          + " a PostgreSQL data source on the server's PostgreSQL door. From metadata only.")
  static final class Grafana implements Callable<Integer> {
    @CommandLine.Mixin CatalogOption catalog;
    @CommandLine.Mixin Main.Common common;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--out", paramLabel = "DIR", required = true,
        description = "Folder to write dashboards/ and provisioning/ into.")
    Path out;

    @CommandLine.Option(names = "--pg-url", paramLabel = "URL",
        description = "The server's PostgreSQL door as Grafana reaches it: postgresql://[user@]host[:port]/database"
            + "[?sslmode=...] (default postgresql://127.0.0.1:5433/<catalog name>). No password: Grafana reads it"
            + " from NEURALAKE_GRAFANA_PASSWORD.")
    String pgUrl;

    @CommandLine.Option(names = "--dashboards-path", paramLabel = "PATH",
        defaultValue = GrafanaExport.DEFAULT_DASHBOARDS_PATH,
        description = "Where Grafana's machine keeps the dashboards (copy dashboards/ there). Default: ${DEFAULT-VALUE}.")
    String dashboardsPath;

    @Override
    public Integer call() {
      GrafanaExport.Builder builder = GrafanaExport.builder(catalog.load()).dashboardsPath(dashboardsPath);
      if (pgUrl != null) {
        builder.pgUrl(pgUrl);
      }
      GrafanaExport export = builder.build();
      PrintWriter err = spec.commandLine().getErr();
      export.problems().forEach(p -> err.println("warning: " + p));
      for (Path file : export.writeTo(out)) {
        err.println("wrote " + file);
      }
      err.flush();
      return 0;
    }
  }
}
