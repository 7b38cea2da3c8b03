package io.neuralake.internal.plan;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;

/** The one check that a read asking for a version or a point in time goes to a table that has versions. */
public final class Versions {
  private Versions() {}

  /**
   * Refuses a version or timestamp for a table without versions (Parquet, function tables), which
   * would otherwise read the current data as if it were the version asked for.
   */
  public static void requireVersioned(TableDefinition table, String qualifiedName, ReadOptions options) {
    if (table.hasVersions() || (options.version().isEmpty() && options.timestamp().isEmpty())) {
      return;
    }
    String asked = options.version().isPresent() ? "at version " + options.version().getAsLong()
        : "as of " + options.timestamp().get();
    throw new NeuralakeException(ErrorCode.NOT_SUPPORTED,
        qualifiedName + " is a " + table.kind() + " table, which has no versions, so it"
        + " cannot be read " + asked + "; only Delta tables have versions (time travel). Read it without a version or"
        + " timestamp");
  }
}
