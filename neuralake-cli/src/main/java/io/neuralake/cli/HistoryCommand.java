package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.Commit;
import io.neuralake.delta.DeltaHistory;
import io.neuralake.delta.DeltaTable;
import io.neuralake.table.TableDefinition;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List a Delta table's versions: time, operation, files added and removed, rows.")
final class HistoryCommand implements Callable<Integer> {
  @CommandLine.Mixin CatalogOption catalog;
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(paramLabel = "DB.TABLE", description = "A Delta table, e.g. tpch.orders.")
  String table;

  @Override
  public Integer call() throws Exception {
    Catalog c = catalog.load();
    String[] name = CatalogOption.tableName(table);
    TableDefinition def = c.db(name[0]).definition(name[1]);
    if (!(def instanceof DeltaTable delta)) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          table + " is a " + def.kind() + " table; only Delta tables have a history");
    }
    List<Commit> commits = DeltaHistory.of(delta, c.context());
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-8s  %-24s  %-24s  %6s  %8s  %10s%n", "version", "timestamp", "operation", "added", "removed", "rows");
    for (Commit commit : commits) {
      out.printf("%-8d  %-24s  %-24s  %6d  %8d  %10s%n", commit.version(), commit.timestamp(), commit.operation(),
          commit.filesAdded(), commit.filesRemoved(), commit.rows().isPresent() ? Long.toString(commit.rows().getAsLong()) : "");
    }
    out.flush();
    return 0;
  }
}
