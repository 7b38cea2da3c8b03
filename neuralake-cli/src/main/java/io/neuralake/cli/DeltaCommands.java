package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.OptimizeResult;
import io.neuralake.delta.VacuumOperation;
import io.neuralake.delta.VacuumResult;
import io.neuralake.delta.WriteOptions;
import io.neuralake.filter.Filter;
import io.neuralake.table.TableDefinition;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Commands that change Delta tables: create, optimize, vacuum. */
final class DeltaCommands {
  private DeltaCommands() {}

  static DeltaTable delta(Catalog c, String qualified) {
    String[] name = CatalogOption.tableName(qualified);
    TableDefinition def = c.db(name[0]).definition(name[1]);
    if (!(def instanceof DeltaTable delta)) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          qualified + " is a " + def.kind() + " table; this command is for Delta tables");
    }
    return delta;
  }

  static ProgressBar bar(String task, long max, String unit) {
    return Progress.bar(task, max, unit, 1, false);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a Delta table from its declaration (schema, partitions, properties); a no-op if it exists.")
  static final class Create implements Callable<Integer> {
    @CommandLine.Mixin CatalogOption catalog;
    @CommandLine.Mixin Main.Common common;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "DB.TABLE")
    String table;

    @Override
    public Integer call() {
      Catalog c = catalog.load();
      CommitResult r = delta(c, table).create(c.context());
      spec.commandLine().getOut().println(table + " exists (version " + r.version() + ")");
      return 0;
    }
  }

  @Command(name = "optimize", mixinStandardHelpOptions = true,
      description = "Compact small files of each partition into files of the target size (no data change).")
  static final class Optimize implements Callable<Integer> {
    @CommandLine.Mixin CatalogOption catalog;
    @CommandLine.Mixin Main.Common common;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "DB.TABLE")
    String table;

    @CommandLine.Option(names = "--filter", paramLabel = "\"COL OP VALUE\"", description = "Only partitions matching (repeatable).")
    List<String> filters = new ArrayList<>();

    @CommandLine.Option(names = "--sort-by", split = ",", paramLabel = "A,B", description = "Sort rows within new files.")
    List<String> sortBy = new ArrayList<>();

    @CommandLine.Option(names = "--target-file-mb", defaultValue = "128", paramLabel = "MB",
        description = "Target file size, 1 or more. Default: ${DEFAULT-VALUE}.")
    long targetMb;

    @CommandLine.Option(names = "--checkpoint", description = "Then write a checkpoint, so readers replay one file instead of the log.")
    boolean checkpoint;

    @Override
    public Integer call() {
      if (targetMb < 1 || targetMb > Long.MAX_VALUE >> 20) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--target-file-mb must be 1 or more, got " + targetMb);
      }
      Catalog c = catalog.load();
      DeltaTable t = delta(c, table);
      List<Filter> parsed = filters.stream().map(Filter::parse).toList();
      OptimizeResult r;
      try (ProgressBar bar = bar("Compacting " + table, -1, " files")) {
        r = t.optimize().context(c.context()).where(parsed).sortBy(sortBy)
            .options(WriteOptions.builder().targetFileBytes(targetMb << 20).build()).progress(bar::stepBy).run();
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(r.filesRemoved() == 0 ? table + ": nothing to compact (version " + r.commit().version() + ")"
          : table + ": compacted " + r.filesRemoved() + " files into " + r.filesAdded() + " in " + r.partitionsCompacted()
              + " partitions (" + r.commit().rowsAdded() + " rows, " + r.commit().bytesAdded() + " bytes), version "
              + r.commit().version());
      if (checkpoint) {
        out.println(table + ": checkpoint at version " + t.checkpoint(c.context()));
      }
      return 0;
    }
  }

  @Command(name = "vacuum", mixinStandardHelpOptions = true,
      description = {"Delete data files no version inside the retention window needs.",
          "Files removed from the table less than the retention ago stay, so older versions remain readable;"
              + " a retention below the table's delta.deletedFileRetentionDuration (7 days unless set) is refused"
              + " unless --force is given. Files no commit references yet stay until they are an hour old, even"
              + " with --force: a writer still running may be about to commit them."})
  static final class Vacuum implements Callable<Integer> {
    @CommandLine.Mixin CatalogOption catalog;
    @CommandLine.Mixin Main.Common common;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "DB.TABLE")
    String table;

    @CommandLine.Option(names = "--retention-hours", paramLabel = "H",
        description = "Keep files removed less than H hours ago (0 or more). Default: the table's"
            + " delta.deletedFileRetentionDuration (168 hours unless set).")
    Long retentionHours;

    @CommandLine.Option(names = "--force",
        description = "Allow a retention below the table's delta.deletedFileRetentionDuration; versions older than"
            + " the retention can then no longer be read.")
    boolean force;

    @CommandLine.Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      if (retentionHours != null && retentionHours < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--retention-hours must be 0 or more, got " + retentionHours);
      }
      Catalog c = catalog.load();
      DeltaTable t = delta(c, table);
      VacuumOperation vacuum = t.vacuum().context(c.context()).dryRun(dryRun).retentionCheck(!force);
      if (retentionHours != null) {
        vacuum.retention(Duration.ofHours(retentionHours));
      }
      VacuumResult r = vacuum.run();
      PrintWriter out = spec.commandLine().getOut();
      r.deleted().forEach(f -> out.println((dryRun ? "would delete " : "deleted ") + f));
      out.println(table + ": " + (dryRun ? "would delete " : "deleted ") + r.deleted().size() + " files (" + r.bytes() + " bytes)");
      return 0;
    }
  }
}
