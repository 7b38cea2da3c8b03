package io.neuralake.delta;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * A data file an {@link AppendTask} wrote and no commit has added yet: what the commit needs to
 * add it, small enough to send from a worker to the driver (it is serializable).
 *
 * @param path the file, as the table's log will name it
 * @param size its length in bytes
 * @param modificationTime when it was written, in milliseconds since the epoch
 * @param rows its row count
 * @param statistics its Delta statistics as JSON (row count, min, max, null counts); empty if none
 * @param partitionValues the values of the table's partition columns for every row in it, by column
 *     (Java values as frames give them: {@code String}, {@code Long}, {@code LocalDate}, ...; null for NULL)
 */
public record WrittenFile(String path, long size, long modificationTime, long rows, String statistics,
    Map<String, Object> partitionValues) implements Serializable {
  private static final long serialVersionUID = 1L;

  public WrittenFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(statistics, "statistics");
    Objects.requireNonNull(partitionValues, "partitionValues");
  }
}
