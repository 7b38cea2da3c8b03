package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.table.Partition;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableMetadata;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Show a table: kind, location, partitions, schema and metadata.")
final class DescribeCommand implements Callable<Integer> {
  @CommandLine.Mixin CatalogOption catalog;
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(paramLabel = "DB.TABLE", description = "The table, e.g. tpch.part.")
  String table;

  @Override
  public Integer call() {
    Catalog c = catalog.load();
    String[] name = CatalogOption.tableName(table);
    TableDefinition def = c.db(name[0]).definition(name[1]);
    PrintWriter out = spec.commandLine().getOut();
    TableMetadata m = def.metadata();
    out.println(table + " (" + def.kind() + " table)");
    line(out, "location", def.location());
    if (def instanceof ParquetTable p && !p.partitions().isEmpty()) {
      line(out, "partitioning", p.scheme().name());
    }
    line(out, "description", m.description());
    line(out, "data input", m.dataInput());
    line(out, "latency", m.latencyInfo());
    line(out, "notebook", m.exampleNotebook());
    line(out, "deprecated", m.deprecated());
    if (!m.docsFilters().isEmpty()) {
      line(out, "example filters", m.docsFilters().toString());
    }
    if (!def.partitions().isEmpty()) {
      out.println("partitions:");
      for (Partition p : def.partitions()) {
        out.printf("  %-24s %s%n", p.column(), p.type());
      }
    }
    def.details(c.context()).forEach((k, v) -> line(out, k, v));
    Schema schema = c.db(name[0]).table(name[1]).schema();
    out.println("schema:");
    for (Field f : schema.fields()) {
      out.printf("  %-24s %s%s%n", f.name(), f.type(), f.description().isEmpty() ? "" : "  " + f.description());
    }
    out.flush();
    return 0;
  }

  private static void line(PrintWriter out, String label, String value) {
    if (value != null && !value.isBlank()) {
      out.printf("%-16s %s%n", label + ":", value);
    }
  }
}
