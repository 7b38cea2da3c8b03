package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.frame.Frame;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outcome of planning a read: which files to read, or a frame that yields the rows. */
public sealed interface ScanPlan {

  /** What planning did, for explain output and tests. */
  ScanStats stats();

  /**
   * Parquet files to read, each with its partition values. {@code schema} is the table's schema
   * when known (declared, or needed because no file survived pruning). {@code projection}, when
   * present, names each output column's source column in the files and its type, for formats
   * whose files do not carry the table's column names or types (Delta column mapping, type
   * widening, declared schemas); a source no file has reads as nulls.
   * {@code extraColumns} are computed columns (select items over the table's columns) and
   * {@code uniqueColumns}, when not empty, keep one row per distinct value of those columns.
   */
  record Files(List<DataFile> files, List<Partition> partitionColumns, Optional<Schema> schema, ScanStats stats,
      Optional<List<ColumnSource>> projection, List<String> extraColumns, List<String> uniqueColumns) implements ScanPlan {
    public Files {
      files = List.copyOf(files);
      partitionColumns = List.copyOf(partitionColumns);
      requireNonNull(schema, "schema");
      requireNonNull(stats, "stats");
      projection = projection.map(List::copyOf);
      extraColumns = List.copyOf(extraColumns);
      uniqueColumns = List.copyOf(uniqueColumns);
    }

    public Files(List<DataFile> files, List<Partition> partitionColumns, Optional<Schema> schema, ScanStats stats) {
      this(files, partitionColumns, schema, stats, Optional.empty(), List.of(), List.of());
    }
  }

  /** Rows produced by a frame (function tables). */
  record OfFrame(Frame frame, ScanStats stats) implements ScanPlan {
    public OfFrame {
      requireNonNull(frame, "frame");
      requireNonNull(stats, "stats");
    }
  }

  /**
   * An output column: read from {@code source} (a file column or a partition column), cast to {@code type}.
   * {@code fileNames}, when present, says how the files name the column's nested fields.
   */
  record ColumnSource(String name, String source, io.neuralake.types.DataType type, Optional<NestedNames> fileNames) {
    public ColumnSource {
      requireNonNull(name, "name");
      requireNonNull(source, "source");
      requireNonNull(type, "type");
      requireNonNull(fileNames, "fileNames");
    }

    public ColumnSource(String name, String source, io.neuralake.types.DataType type) {
      this(name, source, type, Optional.empty());
    }
  }

  /**
   * A column whose nested fields (in structs, list elements, map keys and values) have other names
   * in the files than in the table, as under Delta column mapping: {@code inFiles} is the column's
   * type with the files' names, {@code inTable} the same type with the table's; fields correspond
   * by position. Fields a file lacks read as nulls; fields only a file has are ignored.
   */
  record NestedNames(io.neuralake.types.DataType inFiles, io.neuralake.types.DataType inTable) {
    public NestedNames {
      requireNonNull(inFiles, "inFiles");
      requireNonNull(inTable, "inTable");
    }
  }

  /**
   * One Parquet file on local disk (remote files are already fetched into the cache), with the
   * partition values of its rows and, for Delta deletion vectors, the positions of deleted rows.
   * {@code source} is where the file comes from ({@code s3://...} for a cached copy), for messages.
   */
  record DataFile(Path path, long size, Map<String, Object> partitionValues, Optional<long[]> deletedRows,
      String source) {
    public DataFile {
      requireNonNull(path, "path");
      partitionValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(partitionValues));
      requireNonNull(deletedRows, "deletedRows");
      requireNonNull(source, "source");
    }

    /** A file whose source is its local path. */
    public DataFile(Path path, long size, Map<String, Object> partitionValues, Optional<long[]> deletedRows) {
      this(path, size, partitionValues, deletedRows, path.toString());
    }

    public DataFile(Path path, long size, Map<String, Object> partitionValues) {
      this(path, size, partitionValues, Optional.empty());
    }
  }

  /**
   * @param prefix the folder listing started from, after prefix pruning
   * @param partitionsMatched partition folders that survived pruning
   * @param partitionsPruned partition folders skipped
   * @param filesSelected files handed to the engine
   * @param filesSkipped files skipped by planning (by partition or statistics)
   * @param notes anything else worth showing in explain output
   */
  record ScanStats(String prefix, int partitionsMatched, int partitionsPruned, int filesSelected, int filesSkipped,
      String notes) {
    public static ScanStats of(String notes) {
      return new ScanStats("", 0, 0, 0, 0, notes);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (!prefix.isEmpty()) {
        sb.append("prefix=").append(prefix).append(' ');
      }
      if (partitionsMatched + partitionsPruned > 0) {
        sb.append("partitions=").append(partitionsMatched).append('/').append(partitionsMatched + partitionsPruned).append(' ');
      }
      sb.append("files=").append(filesSelected).append('/').append(filesSelected + filesSkipped);
      if (!notes.isEmpty()) {
        sb.append(' ').append(notes);
      }
      return sb.toString();
    }
  }
}
