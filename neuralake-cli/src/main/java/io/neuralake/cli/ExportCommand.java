package io.neuralake.cli;

import io.neuralake.server.RoapiExport;
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
    subcommands = ExportCommand.Roapi.class)
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
}
