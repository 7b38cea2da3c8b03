package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.Frame;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run a SELECT over the catalog's tables, named db.table.")
final class SqlCommand implements Callable<Integer> {
  @CommandLine.Mixin CatalogOption catalog;
  @CommandLine.Mixin Output output;
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(paramLabel = "SQL", description = "e.g. \"SELECT p_brand, count(*) FROM tpch.part GROUP BY 1\"")
  String sql;

  @CommandLine.Option(names = "--explain", description = "Show the pruned scans and the SQL the engine runs.")
  boolean explain;

  @Override
  public Integer call() {
    Catalog c = catalog.load();
    Frame frame = c.sql(sql);
    if (explain) {
      spec.commandLine().getOut().print(frame.explain());
      spec.commandLine().getOut().flush();
      return 0;
    }
    output.write(frame, spec.commandLine().getOut());
    return 0;
  }
}
