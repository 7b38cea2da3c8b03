package io.neuralake.delta.internal.write;

import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.DataFileStatus;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.WriteOptions;
import io.neuralake.delta.WrittenFile;
import io.neuralake.delta.internal.DeltaSnapshots;
import io.neuralake.delta.internal.DeltaTypes;
import io.neuralake.delta.internal.KernelEngines;
import io.neuralake.delta.internal.KernelErrors;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Frame;
import io.neuralake.spi.Values;
import io.neuralake.types.Schema;
import io.neuralake.spi.Engines;
import io.neuralake.storage.Location;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends (and overwrites) split between a driver and its workers: the driver begins a transaction on the latest
 * snapshot and hands workers the table's root, schemas and partition columns; workers write data
 * files as a local append does and return them described as {@link WrittenFile}s; the driver adds
 * them all in one commit through this process's commit queue (put-if-absent, retried on a newer
 * version when another writer wins, as plain appends are).
 */
public final class DistributedWrites {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedWrites.class);

  private DistributedWrites() {}

  /**
   * A write begun on the driver: its transaction and what workers need to write for it.
   * {@code replacing}: null for an append; for an overwrite, the partition filter whose files the
   * commit removes (empty: every file).
   */
  public record Begun(DeltaTable table, LakeContext context, WriteOptions options, Engine engine, Transaction txn,
      StructType struct, List<String> partitionColumns, String tableRoot, String logicalSchemaJson, String physicalSchemaJson,
      long readVersion, List<Filter> replacing) {}

  /**
   * Begins an append ({@code replacing} null) or an overwrite of the partitions matching
   * {@code replacing} (empty: the whole table). An overwrite's transaction is not a blind append: if
   * another writer commits first, its commit fails instead of being rebased.
   */
  public static Begun begin(DeltaTable table, LakeContext context, WriteOptions options, List<Filter> replacing) {
    Engine engine = KernelEngines.of(context);
    Location location = DeltaWrites.location(table, context);
    try {
      Transaction txn;
      if (replacing == null) {
        io.delta.kernel.Snapshot latest = DeltaSnapshots.forWriting(context, engine, location);
        txn = DeltaWrites.appendTransaction(latest, options, Optional.empty()).build(engine);
      } else {
        txn = Table.forPath(engine, DeltaWrites.path(table, context)).createTransactionBuilder(engine,
            DeltaWrites.ENGINE_INFO, Operation.WRITE).withMaxRetries(options.maxCommitAttempts()).build(engine);
        DeltaMaintenance.requirePartitionFilters(table, txn.getPartitionColumns(engine), replacing);
      }
      StructType struct = txn.getSchema(engine);
      DeltaTypes.refuseVariantWrites(table.name(), struct, "write");
      Row state = txn.getTransactionState(engine);
      return new Begun(table, context, options, engine, txn, struct, txn.getPartitionColumns(engine),
          TransactionStateRow.getTablePath(state), struct.toJson(), TransactionStateRow.getPhysicalSchema(state).toJson(),
          txn.getReadTableVersion(), replacing == null ? null : List.copyOf(replacing));
    } catch (TableNotFoundException e) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "table '" + table.name() + "' does not exist at "
          + DeltaWrites.path(table, context) + "; create it first (create() on its declaration, or `neuralake create`)", e);
    } catch (KernelException e) {
      throw new NeuralakeException(KernelErrors.code(e), "table '" + table.name() + "': " + e.getMessage(), e);
    }
  }

  /** A worker's share: the frame's rows written as data files, described for the driver's commit. */
  public static List<WrittenFile> write(DeltaTable table, LakeContext context, Frame data, String tableRoot,
      String logicalSchemaJson, String physicalSchemaJson, List<String> partitionColumns, long targetFileBytes) {
    StructType struct = DataTypeJsonSerDe.deserializeStructType(logicalSchemaJson);
    StructType physical = DataTypeJsonSerDe.deserializeStructType(physicalSchemaJson);
    List<DeltaWrites.PartitionFiles> written = Engines.withFrame(data, (session, sql) -> DeltaWrites.writeFiles(table,
        context, session, sql, struct, partitionColumns, tableRoot, targetFileBytes, files -> { }));
    List<WrittenFile> out = new ArrayList<>();
    for (DeltaWrites.PartitionFiles partition : written) {
      for (DataFileStatus f : partition.files()) {
        Optional<DataFileStatistics> stats = f.getStatistics();
        out.add(new WrittenFile(f.getPath(), f.getSize(), f.getModificationTime(),
            stats.map(DataFileStatistics::getNumRecords).orElse(0L), stats.map(s -> s.serializeAsJson(physical)).orElse(""),
            partition.values()));
      }
    }
    return out;
  }

  /**
   * Adds the written files in one commit; an overwrite also removes the files of the partitions it
   * replaces, after checking that every written file lies in them (else it deletes the written files
   * and commits nothing).
   */
  public static CommitResult commit(Begun begun, List<WrittenFile> files) {
    Engine engine = begun.engine();
    List<Row> removes = List.of();
    if (begun.replacing() != null) {
      requireInside(begun, files);
      removes = DeltaMaintenance.removals(engine, begun.table(), DeltaWrites.path(begun.table(), begun.context()),
          begun.readVersion(), Filters.all(begun.replacing()));
    }
    if (files.isEmpty() && removes.isEmpty()) {
      // no rows: nothing to add, and no version that says nothing
      return CommitResult.nothing(begun.readVersion());
    }
    Row state = begun.txn().getTransactionState(engine);
    StructType physical = TransactionStateRow.getPhysicalSchema(state);
    // files of one partition share one write context (Kernel checks their partition values against it)
    Map<Map<String, Object>, List<DataFileStatus>> byPartition = new LinkedHashMap<>();
    long rows = 0;
    long bytes = 0;
    for (WrittenFile f : files) {
      Optional<DataFileStatistics> stats = f.statistics().isEmpty() ? Optional.empty()
          : DataFileStatistics.deserializeFromJson(f.statistics(), physical);
      byPartition.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>())
          .add(new DataFileStatus(f.path(), f.size(), f.modificationTime(), stats));
      rows += f.rows();
      bytes += f.size();
    }
    List<Row> actions = new ArrayList<>(removes);
    for (Map.Entry<Map<String, Object>, List<DataFileStatus>> partition : byPartition.entrySet()) {
      DeltaWrites.PartitionFiles p = new DeltaWrites.PartitionFiles(partition.getKey(), partition.getValue());
      Map<String, Literal> literals = p.literals(begun.struct());
      Transaction.generateAppendActions(engine, state, DeltaWrites.iterator(partition.getValue()),
          Transaction.getWriteContext(engine, state, literals)).forEachRemaining(actions::add);
    }
    Location location = DeltaWrites.location(begun.table(), begun.context());
    WriteOptions options = begun.options();
    // an append rebases onto a newer version; an overwrite must not (what it removes was read at its version)
    LongFunction<Transaction> onNewer = begun.replacing() != null ? null : readVersion -> {
      io.delta.kernel.Snapshot known = DeltaSnapshots.forWriting(begun.context(), engine, location);
      return known.getVersion() > readVersion
          ? DeltaWrites.appendTransaction(known, options, Optional.empty()).build(engine) : null;
    };
    CommitQueue.Request request = new CommitQueue.Request(begun.txn(), actions, false, onNewer,
        options.hostCommitLock() ? options.hostCommitLockWait() : null);
    CommitResult result = new PreparedCommit(begun.table(), begun.context(), engine, request, files.size(),
        removes.size(), rows, bytes).commit();
    LOG.info("table {}: version {} adds {} files of {} rows written by workers{}", begun.table().name(),
        result.version(), files.size(), rows, removes.isEmpty() ? "" : ", removes " + removes.size());
    return result;
  }

  /** An overwrite's rows must lie in the partitions it replaces: each written file's partition values are checked. */
  private static void requireInside(Begun begun, List<WrittenFile> files) {
    Schema schema = DeltaTypes.toSchema(begun.struct());
    String table = begun.table().name();
    for (WrittenFile f : files) {
      for (Filter filter : begun.replacing()) {
        Object actual = f.partitionValues().get(filter.column());
        Object expected = Values.coerceFilterValue(table, filter, schema.field(filter.column()).type());
        if (actual == null || !Values.test(filter, expected, actual)) {
          discard(table, begun.context(), files);
          throw new NeuralakeException(ErrorCode.CONSTRAINT_VIOLATED, "table '" + table + "': overwrite data must lie"
              + " inside " + Filters.all(begun.replacing()) + ", but rows with " + filter.column() + " = " + actual
              + " were written; nothing was committed and the written files were deleted");
        }
      }
    }
  }

  /** Deletes written files that will not be committed; a file that cannot be deleted is left for vacuum. */
  public static void discard(String table, LakeContext context, List<WrittenFile> files) {
    for (WrittenFile f : files) {
      Location file = Location.parse(f.path());
      try {
        context.storage().storeFor(file).delete(file);
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("table {}: the uncommitted file {} could not be deleted (vacuum will): {}", table, f.path(), e.toString());
      }
    }
  }
}
