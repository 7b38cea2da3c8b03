package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.time.Duration;
import java.util.Optional;

/**
 * How a vacuum ({@link VacuumOperation}) deletes files.
 *
 * @param retention files removed from the table less than this long ago are kept, so older
 *     versions stay readable (time travel, and readers still using them); empty: the table's
 *     {@code delta.deletedFileRetentionDuration} (7 days unless set). Never negative.
 * @param dryRun list what would be deleted, delete nothing
 * @param retentionCheck refuse a retention below the table's {@code delta.deletedFileRetentionDuration}
 *     (as Spark's {@code spark.databricks.delta.retentionDurationCheck.enabled}); turn off only when
 *     no reader needs older versions
 */
public record VacuumOptions(Optional<Duration> retention, boolean dryRun, boolean retentionCheck) {

  /**
   * Files no version of the table references (written by a writer that has not committed yet, or
   * that died) are kept until they are at least this old, whatever the retention, even with the
   * retention check off: a younger one may belong to a commit still in progress.
   */
  public static final Duration UNCOMMITTED_FILE_MIN_AGE = Duration.ofHours(1);

  public VacuumOptions {
    requireNonNull(retention, "retention");
    retention.ifPresent(r -> {
      if (r.isNegative()) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "a vacuum retention must not be negative, got " + r
            + "; give 0 or more (e.g. Duration.ofDays(7))");
      }
    });
  }

  /** The table's own retention, checked, deleting. */
  public static VacuumOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private Duration retention;
    private boolean dryRun;
    private boolean retentionCheck = true;

    private Builder() {}

    public Builder retention(Duration retention) {
      this.retention = requireNonNull(retention, "retention");
      return this;
    }

    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Whether a retention below the table's {@code delta.deletedFileRetentionDuration} is refused (default true). */
    public Builder retentionCheck(boolean enabled) {
      this.retentionCheck = enabled;
      return this;
    }

    public VacuumOptions build() {
      return new VacuumOptions(Optional.ofNullable(retention), dryRun, retentionCheck);
    }
  }
}
