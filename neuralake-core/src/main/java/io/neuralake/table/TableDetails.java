package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Facts about a stored table, read from its metadata only (a Delta log, a listing): never from its
 * data files. What a kind of table does not know is empty.
 *
 * @param version the current version (tables with versions)
 * @param lastModified when the table last changed: the latest commit, or the newest file
 * @param fileCount data files of the current version
 * @param sizeBytes bytes of those files
 * @param rowCount rows, when the metadata records them for every file
 * @param partitionColumns partition columns as stored
 * @param properties the table's own properties (Delta table properties), in their order
 */
public record TableDetails(OptionalLong version, Optional<Instant> lastModified, OptionalLong fileCount,
    OptionalLong sizeBytes, OptionalLong rowCount, List<String> partitionColumns, Map<String, String> properties) {
  public TableDetails {
    requireNonNull(version, "version");
    requireNonNull(lastModified, "lastModified");
    requireNonNull(fileCount, "fileCount");
    requireNonNull(sizeBytes, "sizeBytes");
    requireNonNull(rowCount, "rowCount");
    partitionColumns = List.copyOf(partitionColumns);
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /** Nothing known (function tables, and kinds that keep no metadata). */
  public static TableDetails none() {
    return new TableDetails(OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), List.of(), Map.of());
  }
}
