package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.delta.internal.write.DeltaVacuum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Deletion of the data files that neither the latest version nor any version inside the retention
 * window needs, and of files no commit references once they are older than
 * {@link VacuumOptions#UNCOMMITTED_FILE_MIN_AGE}: {@code table.vacuum().retention(Duration.ofDays(7)).run()}.
 * The log itself is never touched. Nothing happens before {@link #run()}.
 */
public final class VacuumOperation extends DeltaOperation<VacuumOperation> {
  private VacuumOptions options = VacuumOptions.defaults();

  VacuumOperation(DeltaTable table) {
    super(table);
  }

  /**
   * Keeps files removed from the table less than this long ago (default: the table's
   * {@code delta.deletedFileRetentionDuration}, 7 days unless set). A retention below the table's
   * is refused unless {@link #retentionCheck(boolean) retentionCheck(false)}.
   */
  public VacuumOperation retention(Duration retention) {
    return options(new VacuumOptions(Optional.of(retention), options.dryRun(), options.retentionCheck()));
  }

  /** Lists what would be deleted, deletes nothing. */
  public VacuumOperation dryRun(boolean dryRun) {
    return options(new VacuumOptions(options.retention(), dryRun, options.retentionCheck()));
  }

  /** Whether a retention below the table's {@code delta.deletedFileRetentionDuration} is refused (default true). */
  public VacuumOperation retentionCheck(boolean enabled) {
    return options(new VacuumOptions(options.retention(), options.dryRun(), enabled));
  }

  /** All three settings at once (replacing any set before). */
  public VacuumOperation options(VacuumOptions options) {
    this.options = requireNonNull(options, "options");
    return this;
  }

  /** Deletes the files (or, in a dry run, lists them) and returns what it deleted. */
  public VacuumResult run() {
    try {
      return DeltaVacuum.vacuum(table, context(), options, progress());
    } catch (IOException e) {
      throw new UncheckedIOException("table '" + table.name() + "': vacuum failed: " + e.getMessage(), e);
    }
  }
}
