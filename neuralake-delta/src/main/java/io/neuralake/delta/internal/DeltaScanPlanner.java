package io.neuralake.delta.internal;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.DeletionVectorUtils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.neuralake.delta.DeltaTable;
import io.neuralake.filter.Filters;
import io.neuralake.spi.Values;
import io.neuralake.spi.SqlText;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import io.neuralake.table.Partition;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Identifiers;
import io.neuralake.types.Schema;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    Engine engine = KernelEngines.forStorage(context.storage());
    try {
      if (options.version().isPresent()) {
        return DeltaSnapshots.atVersion(engine, location, options.version().getAsLong());
      }
      if (options.timestamp().isPresent()) {
        return DeltaSnapshots.atTimestamp(engine, store, location, options.timestamp().get().toEpochMilli());
      }
      return DeltaSnapshots.latest(engine, store, location);
    } catch (IOException e) {
      throw new UncheckedIOException("table '" + table.name() + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw translate(e, location);
    }
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
      return new IllegalArgumentException("table '" + table.name() + "': " + e.getMessage(), e);
    }
    return KernelErrors.translate(table.name(), location, context.storeFor(location), e);
  }

  public ScanPlan.Files plan(ReadOptions options, Filters pruning) throws IOException {
    Snapshot snapshot = snapshot(options);
    Location location = context.resolve(table.location());
    ObjectStore store = context.storeFor(location);
    Engine engine = KernelEngines.forStorage(context.storage());
    StructType struct = snapshot.getSchema();
    Schema tableSchema = DeltaTypes.toSchema(struct);
    Schema output = table.declaredSchema().map(d -> reconcile(d, tableSchema)).orElse(tableSchema);

    Map<String, String> physical = physicalNames(struct);
    List<String> partitionNames = snapshot.getPartitionColumnNames();
    List<Partition> partitions = new ArrayList<>();
    for (String p : partitionNames) {
      partitions.add(Partition.of(p, tableSchema.field(p).type()));
    }

    Optional<Predicate> predicate = and(
        DeltaPredicates.of(table.name(), options.filters(), tableSchema, true),
        DeltaPredicates.of(table.name(), pruning, tableSchema, false));
    ScanBuilder builder = snapshot.getScanBuilder();
    if (predicate.isPresent()) {
      builder = builder.withFilter(predicate.get());
    }
    Scan scan = builder.build();

    String tableRoot = StoreFileIO.qualified(location.asFolder());
    // the commit time tells a table apart from one deleted and written again at the same path
    String cacheKey = tableRoot + "@" + snapshot.getVersion() + "/" + commitTime(snapshot, engine, location) + "|"
        + predicate.map(Object::toString).orElse("");
    List<ScanFile> scanFiles = SCAN_FILES.get(cacheKey);
    if (scanFiles == null) {
      scanFiles = scanFiles(engine, scan, partitions, physical, tableRoot, location);
      SCAN_FILES.put(cacheKey, scanFiles);
    }
    List<ObjectInfo> infos = scanFiles.stream().map(ScanFile::object).toList();
    List<Map<String, Object>> values = scanFiles.stream().map(ScanFile::partitionValues).toList();
    List<Optional<long[]>> deleted = scanFiles.stream().map(ScanFile::deletedRows).toList();

    List<Path> local;
    try {
      local = store.localFiles(infos);
    } catch (IOException e) {
      throw new IOException("table '" + table.name() + "' (version " + snapshot.getVersion() + "): a data file the log"
          + " references cannot be read: " + e.getMessage() + "; the table is damaged (restore the file, or read an"
          + " earlier version)", e);
    }
    List<ScanPlan.DataFile> files = new ArrayList<>();
    for (int i = 0; i < infos.size(); i++) {
      if (infos.get(i).location().isLocal() && !Files.exists(local.get(i))) {
        throw new FileNotFoundException("table '" + table.name() + "' (version " + snapshot.getVersion() + "): the data"
            + " file " + infos.get(i).location() + " referenced by the log is missing; the table is damaged (restore"
            + " the file, or read an earlier version)");
      }
      files.add(new ScanPlan.DataFile(local.get(i), infos.get(i).size(), values.get(i), deleted.get(i),
          infos.get(i).location().toString()));
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
    List<String> extra = new ArrayList<>();
    table.extraColumns().forEach((name, expr) -> extra.add(SqlText.expr(expr) + " AS " + Identifiers.quote(name)));

    long withDeletes = deleted.stream().filter(Optional::isPresent).count();
    String notes = "version " + snapshot.getVersion() + (predicate.isPresent() ? ", skipping with " + predicate.get() : "")
        + (withDeletes > 0 ? ", " + withDeletes + " files with deletion vectors" : "");
    ScanPlan.ScanStats stats = new ScanPlan.ScanStats(location.toString(), 0, 0, files.size(), 0, notes);
    LOG.debug("table {}: {}", table.name(), stats);
    return new ScanPlan.Files(files, partitions, Optional.of(output), stats, Optional.of(projection), extra,
        table.uniqueColumns());
  }

  /** A file to read, as Kernel's scan planned it. */
  record ScanFile(ObjectInfo object, Map<String, Object> partitionValues, Optional<long[]> deletedRows) {}

  /**
   * Scan results per snapshot version and predicate: a repeated read of an unchanged table reads
   * no log entry at all. A snapshot's files never change, so entries are only ever evicted.
   */
  private static final Map<String, List<ScanFile>> SCAN_FILES = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ScanFile>> eldest) {
          return size() > 64;
        }
      });

  /** Forgets every cached scan result (cold-read measurements). */
  public static void clearCache() {
    SCAN_FILES.clear();
  }

  private List<ScanFile> scanFiles(Engine engine, Scan scan, List<Partition> partitions, Map<String, String> physical,
      String tableRoot, Location location) {
    List<ScanFile> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
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
            out.add(new ScanFile(info, typed, dv == null ? Optional.empty()
                : Optional.of(DeletionVectorUtils.loadNewDvAndBitmap(engine, tableRoot, dv)._2.toArray())));
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

  /** The declared schema wins, but its types must be readable from the table's. */
  private Schema reconcile(Schema declared, Schema actual) {
    for (Field f : declared.fields()) {
      Optional<Field> a = actual.find(f.name());
      if (a.isPresent() && !DeltaTypes.canRead(a.get().type(), f.type())) {
        throw new IllegalArgumentException("table '" + table.name() + "': column '" + f.name() + "' is declared as "
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
