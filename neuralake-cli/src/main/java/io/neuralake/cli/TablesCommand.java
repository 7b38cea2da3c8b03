package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.Database;
import io.neuralake.table.TableDefinition;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "tables", mixinStandardHelpOptions = true, description = "List the catalog's tables.")
final class TablesCommand implements Callable<Integer> {
  @CommandLine.Mixin CatalogOption catalog;
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--all", description = "Include deprecated tables.")
  boolean all;

  @Override
  public Integer call() {
    Catalog c = catalog.load();
    var out = spec.commandLine().getOut();
    int width = 0;
    for (String db : c.dbs()) {
      for (String t : c.db(db).tables(all)) {
        width = Math.max(width, db.length() + 1 + t.length());
      }
    }
    for (String db : c.dbs()) {
      Database d = c.db(db);
      for (String t : d.tables(all)) {
        TableDefinition def = d.definition(t);
        String name = db + "." + t;
        String note = def.metadata().isDeprecated() ? " [deprecated: " + def.metadata().deprecated() + "]" : "";
        out.printf("%-" + width + "s  %-8s  %s%s%n", name, def.kind(), def.metadata().description(), note);
      }
    }
    out.flush();
    return 0;
  }
}
