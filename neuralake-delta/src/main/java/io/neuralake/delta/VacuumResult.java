package io.neuralake.delta;

import java.util.List;

/** The files vacuum deleted (or, in a dry run, would delete) and their total size. */
public record VacuumResult(List<String> deleted, long bytes, boolean dryRun) {
  public VacuumResult {
    deleted = List.copyOf(deleted);
  }
}
