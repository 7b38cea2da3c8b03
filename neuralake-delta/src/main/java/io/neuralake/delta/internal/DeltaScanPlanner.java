package io.neuralake.delta.internal;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.ScanImpl;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.DeletionVectorUtils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.DeltaTable;
import io.neuralake.filter.Filters;
import io.neuralake.spi.Values;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import io.neuralake.table.Partition;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a read of a Delta table: Delta Kernel replays the log (checkpoints, deletion vectors,
 * column mapping) and, given the filters as a predicate, prunes partitions and skips files by
 * their statistics; DuckDB then reads the surviving files, with the table's column names and types.
 *
 * <p>Kernel's internal scan-file accessors and deletion-vector loader are used here, in this one
 * class: the public API offers them only through Kernel's own Parquet reader, which we replace.
 */
public final class DeltaScanPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaScanPlanner.class);
  /** A source name no file column has: the declared column reads as nulls. */
  private static final String MISSING = "\u0000missing";

  private final DeltaTable table;
  private final LakeContext context;

  public DeltaScanPlanner(DeltaTable table, LakeContext context) {
    this.table = table;
    this.context = context;
  }

  /** The snapshot a read asks for: latest, or at a version or time. */
  public Snapshot snapshot(ReadOptions options) {
    Location location = context.resolve(table.location());
    ObjectStore store = context.storeFor(location);
    Engine engine = KernelEngines.of(context);
    try {
      if (options.version().isPresent()) {
        return DeltaSnapshots.atVersion(engine, location, options.version().getAsLong());
      }
      if (options.timestamp().isPresent()) {
        return DeltaSnapshots.atTimestamp(context, engine, store, location, options.timestamp().get().toEpochMilli());
      }
      return DeltaSnapshots.latest(context, engine, store, location);
    } catch (IOException e) {
      throw new UncheckedIOException("table '" + table.name() + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw translate(e, location);
    }
  }

  /** When the snapshot's version was committed. */
  public java.time.Instant commitTime(Snapshot snapshot) {
    Location location = context.resolve(table.location());
    return java.time.Instant.ofEpochMilli(commitTime(snapshot, KernelEngines.of(context), location));
  }

  private long commitTime(Snapshot snapshot, Engine engine, Location location) {
    try {
      return snapshot.getTimestamp(engine);
    } catch (RuntimeException e) {
      throw translate(e, location);
    }
  }

  private RuntimeException translate(RuntimeException e, Location location) {
    if (e instanceof DeltaSnapshots.AfterLastCommit) {
      return NeuralakeException.of("table '" + table.name() + "': " + e.getMessage(), e);
    }
    return KernelErrors.translate(table.name(), location, context.storeFor(location), e);
  }

  public ScanPlan.Files plan(ReadOptions options, Filters pruning) throws IOException {
    Snapshot snapshot = snapshot(options);
    Location location = context.resolve(table.location());
    ObjectStore store = context.storeFor(location);
    Engine engine = KernelEngines.of(context);
    StructType struct = snapshot.getSchema();
    Schema tableSchema = DeltaTypes.toSchema(struct);
    Schema output = table.declaredSchema().map(d -> reconcile(d, tableSchema)).orElse(tableSchema);

    Map<String, String> physical = physicalNames(struct);
    List<String> partitionNames = snapshot.getPartitionColumnNames();
    List<Partition> partitions = new ArrayList<>();
    for (String p : partitionNames) {
      partitions.add(Partition.of(p, tableSchema.field(p).type()));
    }

    // a variant reads as JSON text, which the log's statistics know nothing of: its filters are the engine's alone
    List<String> variants = DeltaTypes.variantColumns(struct);
    Schema skippable = new Schema(tableSchema.fields().stream().filter(f -> !variants.contains(f.name())).toList());
    Optional<Predicate> predicate = and(
        DeltaPredicates.of(table.name(), options.filters(), skippable, Set.copyOf(partitionNames), true),
        DeltaPredicates.of(table.name(), pruning, skippable, Set.copyOf(partitionNames), false));
    ScanBuilder builder = snapshot.getScanBuilder();
    if (predicate.isPresent()) {
      builder = builder.withFilter(predicate.get());
    }
    Scan scan = builder.build();

    String tableRoot = StoreFileIO.qualified(location.asFolder());
    // the commit time tells a table apart from one deleted and written again at the same path
    String cacheKey = DeltaRuntime.key(context, location) + "@" + snapshot.getVersion() + "/" + commitTime(snapshot, engine, location) + "|"
        + predicate.map(Object::toString).orElse("");
    Map<String, List<ScanFile>> cache = DeltaRuntime.of(context).scanFiles();
    List<ScanFile> scanFiles = cache.get(cacheKey);
    if (scanFiles == null) {
      scanFiles = scanFiles(engine, scan, partitions, physical, tableRoot, location);
      cache.put(cacheKey, scanFiles);
    }
    List<ScanPlan.DataFile> files = new ArrayList<>();
    for (ScanFile f : scanFiles) {
      // a stat, not a read: a local table's missing file is named here, with the version that lists it
      if (f.object().location().isLocal() && !Files.exists(f.object().location().path())) {
        throw new FileNotFoundException("table '" + table.name() + "' (version " + snapshot.getVersion() + "): the data"
            + " file " + f.object().location() + " referenced by the log is missing; the table is damaged (restore"
            + " the file, or read an earlier version)");
      }
      files.add(new ScanPlan.DataFile(f.object().location(), f.object().size(), Optional.empty(), f.rowCount(),
          f.partitionValues(), f.deletedRows()));
    }

    List<ScanPlan.ColumnSource> projection = new ArrayList<>();
    for (Field f : output.fields()) {
      if (partitionNames.contains(f.name())) {
        projection.add(new ScanPlan.ColumnSource(f.name(), f.name(), f.type()));
      } else if (tableSchema.contains(f.name())) {
        projection.add(new ScanPlan.ColumnSource(f.name(), physical.getOrDefault(f.name(), f.name()), f.type(),
            nestedNames(struct.get(f.name()).getDataType())));
      } else {
        projection.add(new ScanPlan.ColumnSource(f.name(), MISSING, f.type()));
      }
    }
    long withDeletes = files.stream().filter(f -> f.deletedRows().isPresent()).count();
    String notes = "version " + snapshot.getVersion() + (predicate.isPresent() ? ", skipping with " + predicate.get() : "")
        + (withDeletes > 0 ? ", " + withDeletes + " files with deletion vectors" : "");
    ScanPlan.ScanStats stats = new ScanPlan.ScanStats(location.toString(), 0, 0, files.size(), 0, notes);
    LOG.debug("table {}: {}", table.name(), stats);
    return new ScanPlan.Files(store, files, partitions, Optional.of(output), stats, Optional.of(projection),
        table.extraColumns(), table.uniqueColumns());
  }

  /**
   * A file to read, as Kernel's scan planned it, with its live rows when the log's statistics count
   * them. Scan results are cached per table, snapshot
   * version and predicate in the runtime ({@link DeltaRuntime}): a repeated read of an unchanged
   * table reads no log entry at all. A snapshot's files never change, so entries are only evicted.
   */
  record ScanFile(ObjectInfo object, Map<String, Object> partitionValues, Optional<long[]> deletedRows,
      OptionalLong rowCount) {}

  private List<ScanFile> scanFiles(Engine engine, Scan scan, List<Partition> partitions, Map<String, String> physical,
      String tableRoot, Location location) {
    List<ScanFile> out = new ArrayList<>();
    // with the statistics: they hold each file's row count (the log has them whether or not a filter uses them)
    try (CloseableIterator<FilteredColumnarBatch> batches = ((ScanImpl) scan).getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row row = rows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(row);
            ObjectInfo info = new ObjectInfo(Location.parse(status.getPath()), status.getSize(),
                Instant.ofEpochMilli(status.getModificationTime()), "");
            Map<String, String> raw = InternalScanFileUtils.getPartitionValues(row);
            Map<String, Object> typed = new LinkedHashMap<>();
            for (Partition p : partitions) {
              String text = raw.get(physical.getOrDefault(p.column(), p.column()));
              typed.put(p.column(), Values.parseText(table.name(), p.column(), text, p.type()));
            }
            DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(row);
            Optional<long[]> deleted = dv == null ? Optional.empty()
                : Optional.of(DeletionVectorUtils.loadNewDvAndBitmap(engine, tableRoot, dv)._2.toArray());
            OptionalLong records = numRecords(row);
            OptionalLong live = records.isPresent() ? OptionalLong.of(records.getAsLong() - deleted.map(d -> d.length).orElse(0))
                : OptionalLong.empty();
            out.add(new ScanFile(info, typed, deleted, live));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("table '" + table.name() + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw translate(e, location);
    }
    return List.copyOf(out);
  }

  private static final java.util.regex.Pattern NUM_RECORDS = java.util.regex.Pattern.compile("\"numRecords\"\\s*:\\s*(\\d+)");

  /** A file's row count from its statistics (JSON in the add action), when the writer recorded them. */
  private static OptionalLong numRecords(Row scanFile) {
    Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
    if (add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)) {
      return OptionalLong.empty();
    }
    java.util.regex.Matcher m = NUM_RECORDS.matcher(add.getString(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL));
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** The declared schema wins, but its types must be readable from the table's. */
  private Schema reconcile(Schema declared, Schema actual) {
    for (Field f : declared.fields()) {
      Optional<Field> a = actual.find(f.name());
      if (a.isPresent() && !DeltaTypes.canRead(a.get().type(), f.type())) {
        throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH,
            "table '" + table.name() + "': column '" + f.name() + "' is declared as "
            + f.type().typeName() + " but the table stores " + a.get().type().typeName()
            + ", which cannot be read as that; fix the declaration in code (or migrate the table)");
      }
    }
    return declared;
  }

  /** Logical top-level column name to its name in the data files (column mapping), where they differ. */
  static Map<String, String> physicalNames(StructType struct) {
    Map<String, String> out = new HashMap<>();
    for (StructField f : struct.fields()) {
      if (f.getMetadata().get(DeltaTypes.PHYSICAL_NAME) != null) {
        out.put(f.getName(), DeltaTypes.physicalName(f));
      }
    }
    return out;
  }

  /**
   * How the files name a column's nested fields, where column mapping gave them physical names.
   * Files are read by physical name in both mapping modes. The protocol has writers put physical
   * names into the Parquet schema in both modes (Spark does, at every depth), while field ids are
   * only required in mode 'id'; and DuckDB's field-id mapping (read_parquet's {@code schema})
   * matches top-level columns only: fields inside structs, lists and maps are still matched by name.
   */
  private static Optional<ScanPlan.NestedNames> nestedNames(io.delta.kernel.types.DataType type) {
    DataType inFiles = DeltaTypes.toStoredType(type);
    DataType inTable = DeltaTypes.toType(type);
    return inFiles.equals(inTable) ? Optional.empty() : Optional.of(new ScanPlan.NestedNames(inFiles, inTable));
  }

  private static Optional<Predicate> and(Optional<Predicate> a, Optional<Predicate> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(new Predicate("AND", a.get(), b.get()));
  }
}
