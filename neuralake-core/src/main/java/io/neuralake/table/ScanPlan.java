package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.types.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The outcome of planning a read: which objects to read, a frame that yields the rows, or a stream
 * of Arrow batches. A plan names objects (location, size, ETag, statistics); nothing is downloaded
 * while planning, explaining or describing: the engine makes the files local only when it runs a query.
 */
public sealed interface ScanPlan {

  /** What planning did, for explain output and tests. */
  ScanStats stats();

  /**
   * Parquet files to read through {@code store}, each with its partition values. {@code schema} is
   * the table's schema (declared, or from metadata: a Delta log, Parquet footers). {@code projection},
   * when present, names each output column's source column in the files and its type, for formats
   * whose files do not carry the table's column names or types (Delta column mapping, type
   * widening, declared schemas); a source no file has reads as nulls. One of the two is required:
   * the engine types the scan from them without opening a file.
   * {@code extraColumns} are computed columns (by name, over the table's columns) and
   * {@code uniqueColumns}, when not empty, keep one row per distinct value of those columns.
   */
  record Files(ObjectStore store, List<DataFile> files, List<Partition> partitionColumns, Optional<Schema> schema,
      ScanStats stats, Optional<List<ColumnSource>> projection, Map<String, Expr> extraColumns,
      List<String> uniqueColumns) implements ScanPlan {
    public Files {
      requireNonNull(store, "store");
      files = List.copyOf(files);
      partitionColumns = List.copyOf(partitionColumns);
      requireNonNull(schema, "schema");
      requireNonNull(stats, "stats");
      projection = projection.map(List::copyOf);
      extraColumns = Collections.unmodifiableMap(new LinkedHashMap<>(extraColumns));
      uniqueColumns = List.copyOf(uniqueColumns);
      if (schema.isEmpty() && projection.isEmpty()) {
        throw new IllegalArgumentException("a scan of files needs the table's schema or a projection, so that it can"
            + " be planned without opening a file");
      }
    }

    public Files(ObjectStore store, List<DataFile> files, List<Partition> partitionColumns, Schema schema,
        ScanStats stats) {
      this(store, files, partitionColumns, Optional.of(schema), stats, Optional.empty(), Map.of(), List.of());
    }

    /**
     * The columns read from the files, before computed columns: the projection, or the schema
     * followed by the partition columns it does not list.
     */
    public List<ColumnSource> columns() {
      if (projection.isPresent()) {
        return projection.get();
      }
      List<ColumnSource> out = new ArrayList<>();
      schema.get().fields().forEach(f -> out.add(new ColumnSource(f.name(), f.name(), f.type())));
      for (Partition p : partitionColumns) {
        if (!schema.get().contains(p.column())) {
          out.add(new ColumnSource(p.column(), p.column(), p.type()));
        }
      }
      return out;
    }

    /** Bytes of the files to read. */
    public long bytes() {
      return files.stream().mapToLong(DataFile::size).sum();
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
   * Rows streamed as Arrow batches (relational and remote sources), read by the engine through the
   * Arrow C data interface without being gathered in the JVM. {@code reader} is called once per
   * execution, when the query runs, and the stream it returns is read once; its batches must have
   * {@code schema}'s column names (types are cast to the schema's).
   *
   * <p>A source that pays per column or per row read (a remote database) gives {@code narrower}:
   * the same read for less ({@link Narrowing}). The engine calls it with what a query can use,
   * since it cannot ask a stream for less itself; null when the source reads whole rows anyway.
   */
  record OfArrow(Schema schema, Supplier<ArrowReader> reader, ScanStats stats,
      java.util.function.Function<Narrowing, OfArrow> narrower) implements ScanPlan {
    public OfArrow {
      requireNonNull(schema, "schema");
      requireNonNull(reader, "reader");
      requireNonNull(stats, "stats");
    }

    /** A stream whose columns and rows are all read, whatever a query uses. */
    public OfArrow(Schema schema, Supplier<ArrowReader> reader, ScanStats stats) {
      this(schema, reader, stats, null);
    }

    /** The same read narrowed as asked, or this one if it cannot narrow or nothing is left out. */
    public OfArrow narrowedTo(Narrowing narrowing) {
      if (narrower == null || narrowing.columns().size() == schema.fields().size() && narrowing.limit().isEmpty()) {
        return this;
      }
      OfArrow narrowed = requireNonNull(narrower.apply(narrowing), "narrower returned null");
      if (!narrowed.schema().names().equals(narrowing.columns())) {
        throw new IllegalStateException("a stream narrowed to " + narrowing.columns() + " has the columns "
            + narrowed.schema().names());
      }
      return narrowed;
    }
  }

  /**
   * What a query reads of a stream.
   *
   * @param columns the columns it uses: some of the stream's (at least one), in the schema's order
   * @param limit when present, the query needs only this many of the rows that match the filters
   *     the read was planned with, any of them: a source that applies every one of those filters
   *     itself may stop after that many; one that leaves any to the engine must ignore the limit,
   *     or the engine would drop some of those rows and return too few
   */
  record Narrowing(List<String> columns, OptionalLong limit) {
    public Narrowing {
      columns = List.copyOf(columns);
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("a narrowed read keeps at least one column");
      }
      requireNonNull(limit, "limit");
      if (limit.isPresent() && limit.getAsLong() < 0) {
        throw new IllegalArgumentException("a row limit is 0 or more, got " + limit.getAsLong());
      }
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
   * by position. Fields a file lacks read as nulls; fields only a file has are ignored. A leaf's
   * type in {@code inFiles} may differ from the table's: the files' values are first read as that
   * type (a Delta variant as JSON, say), then cast to the column's type.
   */
  record NestedNames(io.neuralake.types.DataType inFiles, io.neuralake.types.DataType inTable) {
    public NestedNames {
      requireNonNull(inFiles, "inFiles");
      requireNonNull(inTable, "inTable");
    }
  }

  /**
   * One Parquet object: where it lives, its size, its ETag when the store gave one (a changed object
   * has another, so a cached copy is never stale), its row count when the table's metadata has it,
   * the partition values of its rows and, for Delta deletion vectors, the positions of deleted rows.
   */
  record DataFile(Location location, long size, Optional<String> etag, OptionalLong rowCount,
      Map<String, Object> partitionValues, Optional<long[]> deletedRows) {
    public DataFile {
      requireNonNull(location, "location");
      requireNonNull(etag, "etag");
      requireNonNull(rowCount, "rowCount");
      partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
      requireNonNull(deletedRows, "deletedRows");
    }

    /** A listed object with the partition values of its rows. */
    public static DataFile of(ObjectInfo object, Map<String, Object> partitionValues) {
      return new DataFile(object.location(), object.size(),
          object.etag().isEmpty() ? Optional.empty() : Optional.of(object.etag()), OptionalLong.empty(),
          partitionValues, Optional.empty());
    }

    /** What the store needs to make the object local: location, size and ETag (its time is not known here). */
    public ObjectInfo object() {
      return new ObjectInfo(location, size, Instant.EPOCH, etag.orElse(""));
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
