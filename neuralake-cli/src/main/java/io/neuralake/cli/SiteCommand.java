package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.site.CatalogExport;
import io.neuralake.site.SiteGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code neuralake site}: the catalog as a static web site, generated from its code and its tables' metadata. */
@Command(name = "site", mixinStandardHelpOptions = true,
    description = "Write the catalog as a static, searchable web site (and catalog.json beside it) from the catalog's"
        + " code and its tables' metadata; no table data is read. Open DIR/index.html, or serve DIR from any path of"
        + " any static host.")
final class SiteCommand implements Callable<Integer> {
  @CommandLine.Mixin CatalogOption catalog;
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true,
      description = "The folder to write the site to (created if needed; the site's own files in it are replaced).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String source = catalog.spec();
    Path dir = out.toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--out " + out + " is a file, not a folder: give a folder for the site (it is created if missing)");
    }
    progress(err, "loading the catalog " + source);
    Catalog c = catalog.load();
    progress(err, "reading the metadata of " + c.dbs().stream().mapToInt(db -> c.db(db).tables(true).size()).sum()
        + " tables in " + c.dbs().size() + " databases (no table data is read)");
    CatalogExport export = CatalogExport.of(c, source);
    export.problems().forEach(p -> progress(err, "warning: " + p));
    List<Path> written;
    try {
      written = SiteGenerator.of(export).write(dir, line -> progress(err, line));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the site to " + dir + ": " + e.getMessage(), e);
    }
    progress(err, "wrote " + written.size() + " files to " + dir + "; open " + dir.resolve("index.html"));
    return 0;
  }

  private static void progress(PrintWriter err, String line) {
    err.println(line);
    err.flush();
  }
}
