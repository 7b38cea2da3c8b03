package io.neuralake.delta.internal.write;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.util.PartitionUtils;
import io.delta.kernel.transaction.UpdateTableTransactionBuilder;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.utils.DataFileStatus;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.WriteOptions;
import io.neuralake.delta.internal.DeltaRuntime;
import io.neuralake.delta.internal.DeltaSnapshots;
import io.neuralake.delta.internal.DeltaTypes;
import io.neuralake.delta.internal.KernelEngines;
import io.neuralake.delta.internal.KernelErrors;
import io.neuralake.delta.internal.StoreFileIO;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.spi.Engines;
import io.neuralake.spi.EngineSession;
import io.neuralake.storage.Location;
import io.neuralake.table.LakeContext;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Identifiers;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating Delta tables and appending to them through Kernel transactions. Data files are written
 * first (in parallel, off the commit path); the commit is the atomic creation of the next log
 * entry through the store's put-if-absent, and a writer that loses the race re-reads the log and
 * tries the next version (Kernel's conflict check: appends never conflict with appends).
 */
public final class DeltaWrites {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaWrites.class);
  public static final String ENGINE_INFO = "Neuralake/0.1";

  private DeltaWrites() {}

  static Location location(DeltaTable table, LakeContext context) {
    return context.resolve(table.location());
  }

  static String path(DeltaTable table, LakeContext context) {
    return StoreFileIO.qualified(context.resolve(table.location()));
  }

  /** Creates the table from its declaration if it does not exist; a no-op (race-safe) if it does. */
  public static CommitResult create(DeltaTable table, LakeContext context) {
    Schema schema = table.declaredSchema().orElseThrow(() -> new NeuralakeException(ErrorCode.INVALID_DEFINITION,
        "table '" + table.name()
        + "' declares no schema; give it one (DeltaTable.builder(...).schema(...)) to create it"));
    Engine engine = KernelEngines.of(context);
    String path = path(table, context);
    DeltaSnapshots.forget(context, location(table, context));
    try {
      long existing = Table.forPath(engine, path).getLatestSnapshot(engine).getVersion();
      return CommitResult.nothing(existing);
    } catch (TableNotFoundException e) {
      // create it below
    }
    Map<String, String> properties = new LinkedHashMap<>(table.properties());
    if (!table.statsColumns().isEmpty()) {
      properties.putIfAbsent("delta.dataSkippingStatsColumns", String.join(",", table.statsColumns()));
    }
    try {
      TransactionBuilder builder = Table.forPath(engine, path)
          .createTransactionBuilder(engine, ENGINE_INFO, Operation.CREATE_TABLE)
          .withSchema(engine, DeltaTypes.toStruct(schema))
          .withTableProperties(engine, properties);
      if (!table.partitionedBy().isEmpty()) {
        builder = builder.withPartitionColumns(engine, table.partitionedBy());
      }
      TransactionCommitResult result = builder.build(engine).commit(engine, CloseableIterable.emptyIterable());
      LOG.info("created Delta table {} at {} (version {})", table.name(), path, result.getVersion());
      // the first checksum starts the chain each later commit extends cheaply
      result.getPostCommitSnapshot().ifPresent(s -> DeltaRuntime.of(context).snapshots()
          .committed(DeltaRuntime.key(context, location(table, context)), s));
      runHooks(context, engine, result, table);
      return CommitResult.nothing(result.getVersion());
    } catch (TableAlreadyExistsException | ConcurrentWriteException e) {
      // another process created it first: that is what we wanted
      return CommitResult.nothing(Table.forPath(engine, path).getLatestSnapshot(engine).getVersion());
    } catch (KernelException e) {
      throw new NeuralakeException(KernelErrors.code(e), "table '" + table.name() + "': cannot create it at " + path + ": "
          + e.getMessage(), e);
    }
  }

  /** The highest transaction version committed under an application id, or -1. */
  public static long committedTransaction(DeltaTable table, LakeContext context, String appId) {
    Engine engine = KernelEngines.of(context);
    try {
      io.delta.kernel.Snapshot snapshot = Table.forPath(engine, path(table, context)).getLatestSnapshot(engine);
      return ((io.delta.kernel.internal.SnapshotImpl) snapshot).getLatestTransactionVersion(engine, appId).orElse(-1L);
    } catch (TableNotFoundException e) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND,
          "table '" + table.name() + "' does not exist; create it first", e);
    }
  }

  /** Whether a commit failed because its application transaction was already committed. */
  public static boolean isDuplicateTransaction(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.delta.kernel.exceptions.ConcurrentTransactionException) {
        return true;
      }
    }
    return false;
  }

  /** Appends a frame's rows in one commit; {@code progress} is told of each batch of data files written. */
  public static CommitResult append(DeltaTable table, LakeContext context, Frame data, WriteOptions options,
      Optional<Long> transactionVersion, LongConsumer progress) {
    return prepareAppend(table, context, data, options, transactionVersion, progress).commit();
  }

  /** Writes an append's data files; the returned commit is then the only step left. */
  public static PreparedCommit prepareAppend(DeltaTable table, LakeContext context, Frame data, WriteOptions options,
      Optional<Long> transactionVersion, LongConsumer progress) {
    return Engines.withFrame(data, (session, sql) -> {
      try {
        return prepareAppend(table, context, session, sql, options, transactionVersion, progress);
      } catch (KernelEngineException | UncheckedIOException e) {
        // the cached snapshot may describe a table since deleted and written again: start afresh once
        DeltaSnapshots.forget(context, location(table, context));
        return prepareAppend(table, context, session, sql, options, transactionVersion, progress);
      }
    });
  }

  private static PreparedCommit prepareAppend(DeltaTable table, LakeContext context, EngineSession session, String dataSql,
      WriteOptions options, Optional<Long> transactionVersion, LongConsumer progress) {
    Engine engine = KernelEngines.of(context);
    String path = path(table, context);
    Transaction txn;
    try {
      io.delta.kernel.Snapshot latest = DeltaSnapshots.forWriting(context, engine, location(table, context));
      List<Field> added = newColumns(session.describe(dataSql), latest.getSchema());
      if (!added.isEmpty() && !latest.getSchema().fieldNames().containsAll(added.stream().map(Field::name).toList())) {
        // the cached snapshot may predate a schema change by another writer: look again before judging
        latest = DeltaSnapshots.load(location(table, context), engine);
        added = newColumns(session.describe(dataSql), latest.getSchema());
      }
      var update = appendTransaction(latest, options, transactionVersion);
      if (!added.isEmpty() && options.mergeSchema()) {
        String mode = latest.getTableProperties().getOrDefault("delta.columnMapping.mode", "none");
        if (mode.equals("none")) {
          throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH,
              "table '" + table.name() + "': adding columns " + added + " needs column"
              + " mapping, which this table does not use; declare it with .property(\"delta.columnMapping.mode\","
              + " \"name\") before creating it (Delta renames and adds columns safely only with column mapping)");
        }
        // schema evolution: new columns join the table as nullable, in the same commit as the data
        StructType evolved = latest.getSchema();
        for (Field f : added) {
          evolved = evolved.add(f.name(), DeltaTypes.toKernel(f.type()), true);
        }
        update = update.withUpdatedSchema(evolved);
        LOG.info("table {}: adding columns {}", table.name(), added);
      }
      txn = update.build(engine);
      if (added.isEmpty()) {
        // a plain append may commit on whatever version is latest when its turn comes
        Location location = location(table, context);
        boolean transactionId = options.appId().isPresent() && transactionVersion.isPresent();
        return prepare(table, context, session, dataSql, options, txn, List.of(), transactionId, progress, readVersion -> {
          io.delta.kernel.Snapshot known = DeltaSnapshots.forWriting(context, engine, location);
          return known.getVersion() > readVersion ? appendTransaction(known, options, transactionVersion).build(engine) : null;
        });
      }
    } catch (TableNotFoundException e) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "table '" + table.name() + "' does not exist at " + path
          + "; create it first (create() on its declaration, or `neuralake create`)", e);
    } catch (KernelException e) {
      throw new NeuralakeException(KernelErrors.code(e), "table '" + table.name() + "': " + e.getMessage(), e);
    }
    return prepare(table, context, session, dataSql, options, txn, List.of(), false, progress, null);
  }

  /** An append's transaction on a snapshot: retries, log compaction, and the application transaction id if any. */
  static UpdateTableTransactionBuilder appendTransaction(io.delta.kernel.Snapshot snapshot, WriteOptions options,
      Optional<Long> transactionVersion) {
    var update = snapshot.buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE).withMaxRetries(options.maxCommitAttempts());
    if (options.logCompactionInterval() > 0) {
      update = update.withLogCompactionInterval(options.logCompactionInterval());
    }
    if (options.appId().isPresent() && transactionVersion.isPresent()) {
      update = update.withTransactionId(options.appId().get(), transactionVersion.get());
    }
    return update;
  }

  /**
   * Commits through this process's queue for the table. The outcome's Kernel result is null when
   * another writer process of the host committed the files ({@link CommitSpool}).
   */
  static CommitQueue.Outcome commit(DeltaTable table, LakeContext context, Engine engine, CommitQueue.Request request) {
    long asked = System.nanoTime();
    CommitQueue.Outcome outcome = CommitQueue.of(context, location(table, context)).commit(engine, request);
    LOG.debug("table {}: version {} committed {}, {} ms after asking, holding the files of {} writer(s) of this process"
        + " and {} other process(es)", table.name(), outcome.version(), outcome.result() == null ? "by another process" : "here",
        (System.nanoTime() - asked) / 1_000_000, outcome.writers(), outcome.otherProcesses());
    return outcome;
  }

  /** Writes the data's files and commits them in {@code txn}, with any other actions (removes of an overwrite). */
  static CommitResult appendWith(DeltaTable table, LakeContext context, EngineSession session, String dataSql,
      WriteOptions options, Transaction txn, List<Row> otherActions, LongConsumer progress) {
    return prepare(table, context, session, dataSql, options, txn, otherActions, false, progress, null).commit();
  }

  /**
   * Writes the data's files and readies their commit in {@code txn}. For commits that only add
   * files, {@code onNewer}, given the version {@code txn} read, may give the same transaction built
   * on a newer snapshot (null: not a plain append). {@code transactionId}: whether {@code txn}
   * carries an application transaction id. {@code progress} is told of each partition's files once written.
   */
  private static PreparedCommit prepare(DeltaTable table, LakeContext context, EngineSession session, String dataSql,
      WriteOptions options, Transaction txn, List<Row> otherActions, boolean transactionId, LongConsumer progress,
      LongFunction<Transaction> onNewer) {
    long start = System.nanoTime();
    Engine engine = KernelEngines.of(context);
    StructType struct = txn.getSchema(engine);
    DeltaTypes.refuseVariantWrites(table.name(), struct, "write");
    List<String> partitionColumns = txn.getPartitionColumns(engine);
    Row state = txn.getTransactionState(engine);

    List<CloseableIterator<Row>> actions = new ArrayList<>();
    actions.add(iterator(otherActions));
    List<PartitionFiles> written = writeFiles(table, context, session, dataSql, struct, partitionColumns,
        TransactionStateRow.getTablePath(state), options.targetFileBytes(), progress);
    int files = 0;
    long bytes = 0;
    long rows = 0;
    for (PartitionFiles partition : written) {
      files += partition.files().size();
      bytes += partition.bytes();
      rows += partition.rows();
      actions.add(Transaction.generateAppendActions(engine, state, iterator(partition.files()),
          Transaction.getWriteContext(engine, state, partition.literals(struct))));
    }
    LOG.debug("table {}: {} rows in {} files written in {} ms", table.name(), rows, files, (System.nanoTime() - start) / 1_000_000);
    List<Row> all = new ArrayList<>();
    concat(actions).forEachRemaining(all::add);
    return new PreparedCommit(table, context, engine, new CommitQueue.Request(txn, all, transactionId, onNewer,
        options.hostCommitLock() ? options.hostCommitLockWait() : null), files,
        otherActions.size(), rows, bytes);
  }

  /** The files written for one partition (all of them when the table has no partitions), and its values. */
  record PartitionFiles(Map<String, Object> values, List<DataFileStatus> files) {
    long rows() {
      return files.stream().mapToLong(f -> f.getStatistics().map(DataFileStatistics::getNumRecords).orElse(0L)).sum();
    }

    long bytes() {
      return files.stream().mapToLong(DataFileStatus::getSize).sum();
    }

    Map<String, Literal> literals(StructType struct) {
      Map<String, Literal> out = new HashMap<>();
      values.forEach((column, value) -> out.put(column, literal(value, struct.get(column).getDataType())));
      return out;
    }
  }

  /**
   * Writes the data's rows, checked against the table's row checks, as data files under the table
   * root (partitioned tables' under their partition folders), nothing committed. {@code struct}: the
   * table's logical schema; {@code progress} is told of each partition's files once written.
   */
  static List<PartitionFiles> writeFiles(DeltaTable table, LakeContext context, EngineSession session, String dataSql,
      StructType struct, List<String> partitionColumns, String tableRoot, long targetFileBytes, LongConsumer progress) {
    AppendRows data = AppendRows.of(table, session, dataSql, struct);
    List<DataFileWriter.FileColumn> fileColumns = DeltaMaintenance.fileColumns(struct, partitionColumns, table);
    List<String> select = fileColumns.stream().map(DataFileWriter.FileColumn::fromTable).toList();
    if (partitionColumns.isEmpty()) {
      // one pass: the write reads the data, checking each row as it goes
      List<DataFileStatus> written = new ArrayList<>();
      data.write(() -> written.addAll(DataFileWriter.write(session, context.storage(),
          "SELECT " + String.join(", ", select) + " FROM (" + data.checked() + ")", fileColumns,
          PartitionUtils.getTargetDirectory(tableRoot, List.of(), Map.of()), targetFileBytes)));
      progress.accept(written.size());
      return List.of(new PartitionFiles(Map.of(), written));
    }
    // the data is read once into a temporary table; its partitions numbered; all files written in one pass
    String staged = session.newName("staged");
    data.write(() -> session.execute("CREATE TEMP TABLE " + staged + " AS " + data.checked()));
    String keys = session.newName("partitions");
    String quoted = partitionColumns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    session.execute("CREATE TEMP TABLE " + keys + " AS SELECT *, CAST(row_number() OVER () - 1 AS INTEGER) AS " + PARTITION
        + " FROM (SELECT DISTINCT " + quoted + " FROM " + staged + ")");
    Map<Integer, Map<String, Object>> values = new HashMap<>();
    Map<Integer, String> folders = new HashMap<>();
    try (DataFrame df = session.collect("SELECT * FROM " + keys)) {
      for (Map<String, Object> partition : df.rows()) {
        Map<String, Object> value = new HashMap<>();
        Map<String, Literal> literals = new HashMap<>();
        for (String p : partitionColumns) {
          value.put(p, partition.get(p));
          literals.put(p, literal(partition.get(p), struct.get(p).getDataType()));
        }
        int number = ((Number) partition.get(PARTITION)).intValue();
        values.put(number, value);
        folders.put(number, PartitionUtils.getTargetDirectory(tableRoot, partitionColumns, literals));
      }
    }
    String join = partitionColumns.stream().map(p -> "s." + Identifiers.quote(p) + " IS NOT DISTINCT FROM k." + Identifiers.quote(p))
        .collect(Collectors.joining(" AND "));
    String query = "SELECT " + String.join(", ", select) + ", " + PARTITION + " FROM (SELECT s.*, k." + PARTITION
        + " FROM " + staged + " s JOIN " + keys + " k ON " + join + ")";
    List<PartitionFiles> out = new ArrayList<>();
    DataFileWriter.writePartitioned(session, context.storage(), query, fileColumns, folders, targetFileBytes, PARTITION)
        .forEach((number, files) -> {
          progress.accept(files.size());
          out.add(new PartitionFiles(values.get(number), files));
        });
    return out;
  }

  private static List<Field> newColumns(Schema data, StructType table) {
    return data.fields().stream().filter(f -> !table.fieldNames().contains(f.name())).toList();
  }

  /** A partition's number among the append's, for the engine's partitioned write. */
  private static final String PARTITION = "__neuralake_partition";

  static Literal literal(Object value, io.delta.kernel.types.DataType type) {
    if (value == null) {
      return Literal.ofNull(type);
    }
    return switch (type) {
      case io.delta.kernel.types.StringType t -> Literal.ofString(value.toString());
      case io.delta.kernel.types.IntegerType t -> Literal.ofInt(((Number) value).intValue());
      case io.delta.kernel.types.LongType t -> Literal.ofLong(((Number) value).longValue());
      case io.delta.kernel.types.ShortType t -> Literal.ofShort(((Number) value).shortValue());
      case io.delta.kernel.types.ByteType t -> Literal.ofByte(((Number) value).byteValue());
      case io.delta.kernel.types.BooleanType t -> Literal.ofBoolean((Boolean) value);
      case io.delta.kernel.types.BinaryType t -> Literal.ofBinary((byte[]) value);
      case io.delta.kernel.types.DoubleType t -> Literal.ofDouble(((Number) value).doubleValue());
      case io.delta.kernel.types.FloatType t -> Literal.ofFloat(((Number) value).floatValue());
      case io.delta.kernel.types.DateType t -> Literal.ofDate((int) ((LocalDate) value).toEpochDay());
      case io.delta.kernel.types.DecimalType t ->
          Literal.ofDecimal(((BigDecimal) value).setScale(t.getScale()), t.getPrecision(), t.getScale());
      case io.delta.kernel.types.TimestampType t -> Literal.ofTimestamp(micros(value));
      case io.delta.kernel.types.TimestampNTZType t -> Literal.ofTimestampNtz(micros(value));
      default -> throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "cannot partition by a column of type " + type);
    };
  }

  private static long micros(Object value) {
    Instant instant = value instanceof Instant i ? i : ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  /**
   * Runs Kernel's post-commit hooks in the background: a checkpoint is an optimization for
   * readers, never part of a commit, so it never delays or fails one.
   */
  static void runHooks(LakeContext context, Engine engine, TransactionCommitResult result, DeltaTable table) {
    boolean checkpointing = result.getPostCommitHooks().stream()
        .anyMatch(h -> h.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT);
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKSUM_FULL && !checkpointing) {
        // Kernel asks for a full checksum when it cannot extend the previous one (after a lost
        // race, before the winner's checksum exists); it replays the log since the last
        // checkpoint. Checksums are optional, so that replay is done only right after a
        // checkpoint (hooks run in order), where it is short; the chain restarts from there.
        continue;
      }
      DeltaRuntime.of(context).hooks().submit(() -> {
        try {
          hook.threadSafeInvoke(engine);
        } catch (IOException | RuntimeException e) {
          LOG.warn("table {}: {} after version {} failed (the commit stands): {}", table.name(), hook.getType(),
              result.getVersion(), e.toString());
        }
      });
    }
  }

  /** Waits for the default runtime's background post-commit work (tests). */
  public static void awaitHooks() {
    awaitHooks(LakeContext.defaults());
  }

  /** Waits for background post-commit work of the context's runtime (tests, and writers closing). */
  public static void awaitHooks(LakeContext context) {
    try {
      DeltaRuntime.of(context).hooks().submit(() -> { }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  static <T> CloseableIterator<T> iterator(List<T> items) {
    var it = items.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  static <T> CloseableIterator<T> concat(List<CloseableIterator<T>> parts) {
    var outer = parts.iterator();
    return new CloseableIterator<>() {
      CloseableIterator<T> current = outer.hasNext() ? outer.next() : null;

      @Override
      public boolean hasNext() {
        while (current != null && !current.hasNext()) {
          current = outer.hasNext() ? outer.next() : null;
        }
        return current != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return current.next();
      }

      @Override
      public void close() throws IOException {
        for (CloseableIterator<T> p : parts) {
          p.close();
        }
      }
    };
  }

}
