package io.neuralake.delta.internal.write;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.deletionvectors.DeletionVectorUtils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.OptimizeResult;
import io.neuralake.delta.WriteOptions;
import io.neuralake.delta.internal.DeltaPredicates;
import io.neuralake.delta.internal.DeltaTypes;
import io.neuralake.delta.internal.KernelEngines;
import io.neuralake.delta.internal.StoreFileIO;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Frame;
import io.neuralake.spi.Engines;
import io.neuralake.spi.SqlText;
import io.neuralake.spi.EngineSession;
import io.neuralake.spi.Values;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.Identifiers;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction and partition overwrite: the commits that remove files. Kernel's public API
 * only adds files, so remove actions (and adds marked as no data change) are built with Kernel's
 * own action classes, here and only here.
 */
public final class DeltaMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaMaintenance.class);

  private DeltaMaintenance() {}

  /** A live file of the table as the scan returned it. */
  record LiveFile(Row addRow, FileStatus status, Map<String, String> partitionValues,
      Optional<long[]> deletedRows) {}


  /**
   * Bin-packs the small files of each partition (those below half the target size) into files of
   * the target size, with no data change: readers see the same rows. Partitions with fewer than
   * two small files are left alone. Optionally sorts rows within the new files.
   */
  public static OptimizeResult optimize(DeltaTable table, LakeContext context, Filters partitions, WriteOptions options,
      List<String> sortBy, LongConsumer progress) {
    Engine engine = KernelEngines.of(context);
    String path = DeltaWrites.path(table, context);
    Transaction txn = Table.forPath(engine, path).createTransactionBuilder(engine, DeltaWrites.ENGINE_INFO,
        Operation.MANUAL_UPDATE).withMaxRetries(options.maxCommitAttempts()).build(engine);
    Row state = txn.getTransactionState(engine);
    StructType struct = txn.getSchema(engine);
    DeltaTypes.refuseVariantWrites(table.name(), struct, "compact it");
    List<String> partitionColumns = txn.getPartitionColumns(engine);
    Snapshot snapshot = TableManager.loadSnapshot(path).atVersion(txn.getReadTableVersion()).build(engine);
    List<LiveFile> live = liveFiles(engine, snapshot, table, partitions, path);

    Map<Map<String, String>, List<LiveFile>> byPartition = new LinkedHashMap<>();
    for (LiveFile f : live) {
      if (f.status().getSize() < options.targetFileBytes() / 2) {
        byPartition.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f);
      }
    }
    byPartition.values().removeIf(files -> files.size() < 2);
    if (byPartition.isEmpty()) {
      return new OptimizeResult(CommitResult.nothing(snapshot.getVersion()), 0, 0, 0);
    }
    StructType physical = TransactionStateRow.getPhysicalSchema(state);
    URI tableRoot = new org.apache.hadoop.fs.Path(TransactionStateRow.getTablePath(state)).toUri();
    List<DataFileWriter.FileColumn> columns = fileColumns(struct, partitionColumns, table);
    List<String> sortColumns = sortBy.stream().map(c -> physicalSortColumn(table, struct, c)).toList();

    return Engines.withFrame(Frame.fromRows(List.of(Map.of("x", 1))), (session, ignored) -> {
      List<Row> actions = new ArrayList<>();
      int removed = 0;
      int added = 0;
      long rows = 0;
      long bytes = 0;
      for (Map.Entry<Map<String, String>, List<LiveFile>> group : byPartition.entrySet()) {
        Map<String, Literal> literals = partitionLiterals(struct, partitionColumns, group.getKey(), table);
        DataWriteContext writeContext = Transaction.getWriteContext(engine, state, literals);
        String source = read(session, context, group.getValue(), columns);
        String select = "SELECT * FROM (" + source + ")" + (sortBy.isEmpty() ? ""
            : " ORDER BY " + sortColumns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")));
        List<DataFileStatus> written = DataFileWriter.write(session, context.storage(), select, columns,
            writeContext.getTargetDirectory(), options.targetFileBytes());
        for (DataFileStatus w : written) {
          AddFile add = AddFile.convertDataFileStatus(physical, tableRoot, w, literals, false, Map.of(),
              Optional.empty(), Optional.empty(), Optional.empty());
          actions.add(SingleAction.createAddFileSingleAction(add.toRow()));
          rows += w.getStatistics().map(s -> s.getNumRecords()).orElse(0L);
          bytes += w.getSize();
        }
        for (LiveFile f : group.getValue()) {
          actions.add(SingleAction.createRemoveFileSingleAction(
              new AddFile(f.addRow()).toRemoveFileRow(false, Optional.of(System.currentTimeMillis()))));
        }
        removed += group.getValue().size();
        added += written.size();
        progress.accept(group.getValue().size());
      }
      // no host lock asked for: this process commits, so Kernel's result is there
      TransactionCommitResult result = DeltaWrites.commit(table, context, engine, new CommitQueue.Request(txn, actions, false, null))
          .result();
      DeltaWrites.runHooks(context, engine, result, table);
      LOG.info("table {}: optimize compacted {} files into {} (version {})", table.name(), removed, added, result.getVersion());
      return new OptimizeResult(new CommitResult(result.getVersion(), added, removed, rows, bytes), byPartition.size(), removed, added);
    });
  }

  /** The files' name of a column to sort by (the files hold physical names under column mapping). */
  private static String physicalSortColumn(DeltaTable table, StructType struct, String column) {
    if (!struct.fieldNames().contains(column)) {
      throw new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND, "table '" + table.name() + "': cannot sort by '" + column
          + "', which is not a column; its columns are " + String.join(", ", struct.fieldNames()));
    }
    return DeltaTypes.physicalName(struct.get(column));
  }

  /**
   * Replaces the rows matching a partition filter with new data, atomically: the old files are
   * removed and the new ones added in one commit. Every new row must match the filter.
   */
  public static CommitResult overwrite(DeltaTable table, LakeContext context, List<Filter> partitionFilter, Frame data,
      WriteOptions options, LongConsumer progress) {
    Engine engine = KernelEngines.of(context);
    String path = DeltaWrites.path(table, context);
    Transaction txn;
    try {
      txn = Table.forPath(engine, path).createTransactionBuilder(engine, DeltaWrites.ENGINE_INFO, Operation.WRITE)
          .withMaxRetries(options.maxCommitAttempts()).build(engine);
    } catch (TableNotFoundException e) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND,
          "table '" + table.name() + "' does not exist; create it first", e);
    }
    requirePartitionFilters(table, txn.getPartitionColumns(engine), partitionFilter);
    Filters filters = Filters.all(partitionFilter);
    Schema schema = DeltaTypes.toSchema(txn.getSchema(engine));
    return Engines.withFrame(data, (session, sql) -> {
      String outside = "SELECT * FROM (" + sql + ") WHERE NOT (" + SqlText.filter(table.name(), filters, schema) + ")";
      try (var bad = session.collect(outside + " LIMIT 5")) {
        if (bad.rowCount() > 0) {
          throw new NeuralakeException(ErrorCode.CONSTRAINT_VIOLATED,
              "table '" + table.name() + "': overwrite data must lie inside " + filters
              + "; nothing was written. First rows outside it:\n" + bad);
        }
      }
      List<Row> removes = removals(engine, table, path, txn.getReadTableVersion(), filters);
      return DeltaWrites.appendWith(table, context, session, sql, options, txn, removes, progress);
    });
  }

  /** Refuses an overwrite's filter on a column the table is not partitioned by. */
  static void requirePartitionFilters(DeltaTable table, List<String> partitionColumns, List<Filter> partitionFilter) {
    for (Filter f : partitionFilter) {
      if (!partitionColumns.contains(f.column())) {
        throw new NeuralakeException(ErrorCode.INVALID_FILTER,
            "table '" + table.name() + "': overwrite filters must be on partition columns ("
            + (partitionColumns.isEmpty() ? "it has none" : String.join(", ", partitionColumns)) + "); '" + f.column()
            + "' is not one");
      }
    }
  }

  /** The remove actions (data changed) of the files live at {@code version} in the partitions matching {@code filters}. */
  static List<Row> removals(Engine engine, DeltaTable table, String path, long version, Filters filters) {
    Snapshot snapshot = TableManager.loadSnapshot(path).atVersion(version).build(engine);
    List<Row> removes = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (LiveFile f : liveFiles(engine, snapshot, table, filters, path)) {
      removes.add(SingleAction.createRemoveFileSingleAction(new AddFile(f.addRow()).toRemoveFileRow(true, Optional.of(now))));
    }
    return removes;
  }


  /**
   * Writes a checkpoint of the latest version, so readers replay one Parquet file instead of every
   * commit since the last one. Returns the version checkpointed. Safe beside writers: a checkpoint
   * describes a version that already exists and is written atomically.
   */
  public static long checkpoint(DeltaTable table, LakeContext context) {
    Engine engine = KernelEngines.of(context);
    String path = DeltaWrites.path(table, context);
    try {
      long version = Table.forPath(engine, path).getLatestSnapshot(engine).getVersion();
      try {
        Table.forPath(engine, path).checkpoint(engine, version);
        LOG.info("table {}: checkpoint written at version {}", table.name(), version);
      } catch (CheckpointAlreadyExistsException e) {
        LOG.info("table {}: version {} already has a checkpoint", table.name(), version);
      }
      return version;
    } catch (TableNotFoundException e) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND,
          "table '" + table.name() + "' does not exist at " + path, e);
    } catch (IOException e) {
      throw new UncheckedIOException("table '" + table.name() + "': checkpoint failed: " + e.getMessage(), e);
    }
  }

  static List<LiveFile> liveFiles(Engine engine, Snapshot snapshot, DeltaTable table, Filters filters, String path) {
    Schema schema = DeltaTypes.toSchema(snapshot.getSchema());
    ScanBuilder builder = snapshot.getScanBuilder();
    Optional<Predicate> predicate = DeltaPredicates.of(table.name(), filters, schema, true);
    if (predicate.isPresent()) {
      builder = builder.withFilter(predicate.get());
    }
    Scan scan = builder.build();
    List<LiveFile> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row row = rows.next();
            DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(row);
            Optional<long[]> deleted = dv == null ? Optional.empty()
                : Optional.of(DeletionVectorUtils.loadNewDvAndBitmap(engine, path, dv)._2.toArray());
            out.add(new LiveFile(row.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL),
                InternalScanFileUtils.getAddFileStatus(row), InternalScanFileUtils.getPartitionValues(row), deleted));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // a partition filter must hold exactly: Kernel's scan may keep files it cannot rule out
    if (!filters.isEmpty()) {
      out.removeIf(f -> !matches(table, f.partitionValues(), filters, schema, snapshot.getPartitionColumnNames()));
    }
    return out;
  }

  private static boolean matches(DeltaTable table, Map<String, String> values, Filters filters, Schema schema,
      List<String> partitionColumns) {
    for (List<Filter> conjunction : filters.disjuncts()) {
      boolean all = true;
      for (Filter f : conjunction) {
        if (!partitionColumns.contains(f.column())) {
          continue;
        }
        Object actual = Values.parseText(table.name(), f.column(), values.get(f.column()), schema.field(f.column()).type());
        Object expected = Values.coerceFilterValue(table.name(), f, schema.field(f.column()).type());
        if (!Values.test(f, expected, actual)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** SQL reading live files (deletion vectors applied) as their physical columns. */
  private static String read(EngineSession session, LakeContext context, List<LiveFile> files, List<DataFileWriter.FileColumn> columns) {
    List<ObjectInfo> infos = files.stream().map(f -> new ObjectInfo(Location.parse(f.status().getPath()),
        f.status().getSize(), Instant.ofEpochMilli(f.status().getModificationTime()), "")).toList();
    List<Path> local;
    try {
      local = context.storeFor(infos.get(0).location()).localFiles(infos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<ScanPlan.DataFile> dataFiles = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      dataFiles.add(new ScanPlan.DataFile(infos.get(i).location(), infos.get(i).size(), Optional.empty(),
          java.util.OptionalLong.empty(), Map.of(), files.get(i).deletedRows()));
    }
    // the files' names at every depth, kept as they are: the new files are written under them
    List<ScanPlan.ColumnSource> projection = columns.stream()
        .map(c -> new ScanPlan.ColumnSource(c.physicalName(), c.physicalName(), DeltaTypes.toStoredType(c.type()))).toList();
    // compaction runs now: its files are made local here, not through a compiled query's scan inputs
    return SqlText.fileScan(new ScanPlan.Files(context.storeFor(infos.get(0).location()), dataFiles, List.of(),
        Optional.empty(), ScanPlan.ScanStats.of("compaction"), Optional.of(projection), Map.of(), List.of()), local, session);
  }

  static List<DataFileWriter.FileColumn> fileColumns(StructType struct, List<String> partitionColumns, DeltaTable table) {
    List<DataFileWriter.FileColumn> out = new ArrayList<>();
    int statsLeft = 32;
    for (StructField f : struct.fields()) {
      if (partitionColumns.contains(f.getName())) {
        continue;
      }
      boolean stats = statsLeft-- > 0 && DataFileWriter.hasStats(f.getDataType())
          && (table.statsColumns().isEmpty() || table.statsColumns().contains(f.getName()));
      out.add(new DataFileWriter.FileColumn(f.getName(), DeltaTypes.physicalName(f), f.getDataType(), stats,
          DataFileWriter.fieldId(f)));
    }
    return out;
  }

  private static Map<String, Literal> partitionLiterals(StructType struct, List<String> partitionColumns,
      Map<String, String> raw, DeltaTable table) {
    Map<String, Literal> out = new java.util.HashMap<>();
    Schema schema = DeltaTypes.toSchema(struct);
    for (String p : partitionColumns) {
      String text = raw.get(DeltaTypes.physicalName(struct.get(p)));
      Object value = Values.parseText(table.name(), p, text, schema.field(p).type());
      out.put(p, DeltaWrites.literal(value, struct.get(p).getDataType()));
    }
    return out;
  }
}
