package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.table.Partition;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableDetails;
import io.neuralake.table.TableMetadata;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
  public Integer call() throws java.io.IOException {
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
    // metadata only (a Delta log, a listing, one Parquet footer): describing never downloads the table
    TableDetails d = def.details(c.context());
    d.version().ifPresent(v -> line(out, "version", Long.toString(v)));
    d.lastModified().ifPresent(t -> line(out, "last modified", t.toString()));
    // the table's own (its log's) partition columns, with the types the code declares for them
    List<String> partitionColumns = d.partitionColumns().isEmpty()
        ? def.partitions().stream().map(Partition::column).toList() : d.partitionColumns();
    line(out, "partition columns", partitionColumns.stream().map(col -> col + def.partitions().stream()
        .filter(p -> p.column().equals(col)).findFirst().map(p -> " (" + p.type() + ")").orElse(""))
        .collect(Collectors.joining(", ")));
    d.fileCount().ifPresent(n -> line(out, "files", String.format(Locale.ROOT, "%,d", n)));
    d.sizeBytes().ifPresent(b -> line(out, "size", String.format(Locale.ROOT, "%.1f MB (%,d bytes)", b / 1e6, b)));
    d.rowCount().ifPresent(n -> line(out, "rows", String.format(Locale.ROOT, "%,d", n)));
    if (def instanceof DeltaTable delta) {
      line(out, "stats columns", d.properties().getOrDefault("delta.dataSkippingStatsColumns",
          delta.statsColumns().isEmpty() ? "(first 32 columns)" : String.join(", ", delta.statsColumns())));
    }
    if (!d.properties().isEmpty()) {
      out.println("properties:");
      d.properties().forEach((k, v) -> out.printf("  %-24s %s%n", k, v));
    }
    Schema schema = def.schema(c.context());
    out.println("schema:");
    for (Field f : schema.fields()) {
      out.printf("  %-24s %s%s%n", f.name(), f.type(), f.description().isEmpty() ? "" : "  " + f.description());
    }
    if (def instanceof DeltaTable delta && !delta.extraColumns().isEmpty()) {
      out.println("computed columns:");
      delta.extraColumns().forEach((column, expr) -> out.printf("  %-24s %s%n", column, expr));
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
