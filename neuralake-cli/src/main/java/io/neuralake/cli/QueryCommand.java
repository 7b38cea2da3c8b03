package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Frame;
import io.neuralake.table.ReadOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

// no standard --version option here: --version N selects a Delta table version, -V prints the program's
@Command(name = "query", versionProvider = Main.Version.class,
    description = "Read a table with filters and columns, as a dataframe would.")
final class QueryCommand implements Callable<Integer> {
  @CommandLine.Mixin CatalogOption catalog;
  @CommandLine.Mixin Output output;
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @CommandLine.Option(names = "-V", versionHelp = true,
      description = "Print the program's version and exit (here --version N selects a table version).")
  boolean printVersion;

  @CommandLine.Parameters(paramLabel = "DB.TABLE", description = "The table, e.g. bci.spikes.")
  String table;

  @CommandLine.Option(names = "--filter", paramLabel = "\"COL OP VALUE\"",
      description = "A filter such as \"implant_id = 4595\" or \"date in ['2024-04-27','2024-04-28']\"; repeat to and them."
          + " Operators: =, !=, <, <=, >, >=, in, not in, contains, includes, includes any, includes all.")
  List<String> filters = new ArrayList<>();

  @CommandLine.Option(names = "--columns", split = ",", paramLabel = "A,B", description = "Columns to read.")
  List<String> columns = new ArrayList<>();

  @CommandLine.Option(names = "--limit", description = "At most this many rows.")
  Long limit;

  @CommandLine.Option(names = "--explain", description = "Show the plan and the pruned scans instead of rows.")
  boolean explain;

  @CommandLine.Option(names = "--version", paramLabel = "N",
      description = "Read version N (0 or more) of a Delta table; other tables have no versions and refuse it."
          + " (-V prints the program's version.)")
  Long version;

  @CommandLine.Option(names = "--timestamp", paramLabel = "T",
      description = "Read a Delta table as it was at a time: 2024-04-28T12:00:00Z, 2024-04-28 12:00 (UTC) or"
          + " 2024-04-28 (midnight UTC). A time after the last commit is an error; other tables refuse it.")
  String timestamp;

  @Override
  public Integer call() {
    if (version != null && timestamp != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --version or --timestamp, not both");
    }
    if (version != null && version < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--version must be 0 or more, got " + version);
    }
    Catalog c = catalog.load();
    String[] name = CatalogOption.tableName(table);
    ReadOptions.Builder options = ReadOptions.builder().columns(columns);
    if (version != null) {
      options.version(version);
    }
    if (timestamp != null) {
      options.timestamp(Times.parseInstant(timestamp));
    }
    for (String f : filters) {
      options.filters(Filter.parse(f));
    }
    Frame frame = c.db(name[0]).table(name[1], options.build());
    if (limit != null) {
      frame = frame.limit(limit);
    }
    if (explain) {
      spec.commandLine().getOut().print(frame.explain());
      spec.commandLine().getOut().flush();
      return 0;
    }
    output.write(frame, spec.commandLine().getOut());
    return 0;
  }
}
