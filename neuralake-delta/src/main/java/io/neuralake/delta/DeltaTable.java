package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.Snapshot;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.internal.DeltaScanPlanner;
import io.neuralake.delta.internal.DeltaTypes;
import io.neuralake.delta.internal.write.DeltaMaintenance;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Expr;
import io.neuralake.table.LakeContext;
import io.neuralake.table.Partition;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.table.TableBuilder;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableDetails;
import io.neuralake.table.TableMetadata;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Delta Lake table, read (and, with the writers, written) through Delta Kernel over Neuralake's
 * object stores, local or {@code s3://}.
 *
 * <pre>{@code
 * public static final DeltaTable ORDERS = DeltaTable.builder("orders", "s3://bucket/tpch/orders")
 *     .schema(Schema.of(Field.of("o_orderkey", DataType.INT64), Field.of("o_region", DataType.STRING)))
 *     .partitionedBy("o_region")
 *     .uniqueColumns("o_orderkey")
 *     .build();
 * }</pre>
 *
 * A declared schema is the contract: columns are cast to it, missing ones read as nulls and
 * others are dropped. Without one, the table's own schema is used. Filters on partition columns
 * prune partitions, filters on data columns skip files by their statistics, before any data file
 * is opened; {@link ReadOptions} selects a version or a point in time.
 */
public final class DeltaTable implements TableDefinition {
  private final String name;
  private final String uri;
  private final TableMetadata metadata;
  private final Optional<Schema> schema;
  private final List<String> partitionedBy;
  private final List<String> uniqueColumns;
  private final List<String> statsColumns;
  private final Map<String, Expr> extraColumns;
  private final Map<String, String> properties;
  private final Map<String, Expr> checks;
  /** The context of the catalog this handle came from, if any: writes without a context use it. */
  private final Optional<LakeContext> catalogContext;

  private DeltaTable(Builder b) {
    this.name = b.name();
    this.uri = b.uri;
    this.metadata = b.metadata();
    this.schema = Optional.ofNullable(b.schema);
    this.partitionedBy = List.copyOf(b.partitionedBy);
    this.uniqueColumns = List.copyOf(b.uniqueColumns);
    this.statsColumns = List.copyOf(b.statsColumns);
    this.extraColumns = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraColumns));
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(b.checks));
    this.catalogContext = Optional.empty();
  }

  private DeltaTable(DeltaTable declared, LakeContext context) {
    this.name = declared.name;
    this.uri = declared.uri;
    this.metadata = declared.metadata;
    this.schema = declared.schema;
    this.partitionedBy = declared.partitionedBy;
    this.uniqueColumns = declared.uniqueColumns;
    this.statsColumns = declared.statsColumns;
    this.extraColumns = declared.extraColumns;
    this.properties = declared.properties;
    this.checks = declared.checks;
    this.catalogContext = Optional.of(context);
  }

  public static Builder builder(String name, String uri) {
    return new Builder(name, uri);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "delta";
  }

  /** Every commit is a version; reads can ask for one, or for the version current at a time. */
  @Override
  public boolean hasVersions() {
    return true;
  }

  @Override
  public TableMetadata metadata() {
    return metadata;
  }

  @Override
  public String location() {
    return uri;
  }

  @Override
  public Optional<Schema> declaredSchema() {
    return schema;
  }

  /** Partition columns as declared (the table's own come from its log when reading). */
  @Override
  public List<Partition> partitions() {
    if (schema.isEmpty()) {
      return List.of();
    }
    List<Partition> out = new ArrayList<>();
    for (String p : partitionedBy) {
      out.add(Partition.of(p, schema.get().field(p).type()));
    }
    return out;
  }

  public List<String> partitionedBy() {
    return partitionedBy;
  }

  /** Columns that identify a row: reads keep one row per distinct key. */
  public List<String> uniqueColumns() {
    return uniqueColumns;
  }

  /** Columns writers collect min/max/null-count statistics for (all, when empty). */
  public List<String> statsColumns() {
    return statsColumns;
  }

  /** Computed, read-only columns added to every read. */
  public Map<String, Expr> extraColumns() {
    return extraColumns;
  }

  /** Delta table properties set when the table is created. */
  public Map<String, String> properties() {
    return properties;
  }

  /** Row checks every write must pass: name to a predicate each row must satisfy. */
  public Map<String, Expr> checks() {
    return checks;
  }

  // ---- writing: the declaration is also the handle for writes

  /**
   * Creates the table from this declaration (schema, partition columns, properties) if it does not
   * exist; a no-op if it does, also when several processes race to create it. Locations resolve
   * in the context of the catalog this handle came from ({@code catalog.db(..).definition(..)}),
   * else as in {@link LakeContext#defaults()}; so do the other writes given no context.
   */
  public CommitResult create() {
    return create(context());
  }

  /** {@link #create()} with a catalog's context ({@code catalog.context()}). */
  public CommitResult create(LakeContext context) {
    return DeltaWrites.create(this, context);
  }

  /**
   * An append of the frame's rows, written and committed by {@link AppendOperation#commit()}:
   * {@code table.append(frame).context(catalog.context()).options(o).progress(listener).commit()}.
   */
  public AppendOperation append(Frame data) {
    return new AppendOperation(this, data);
  }

  /** {@link #append(Frame)} of an in-memory frame. */
  public AppendOperation append(DataFrame data) {
    return append(data.lazy());
  }

  /** {@link #append(Frame)} of rows given as maps of column name to value. */
  public AppendOperation append(List<? extends Map<String, ?>> rows) {
    return append(Frame.fromRows(rows));
  }

  /**
   * Compaction of small files into files of the target size (no data change), run by
   * {@link OptimizeOperation#run()}: {@code table.optimize().where(filter).sortBy("ts").run()}.
   */
  public OptimizeOperation optimize() {
    return new OptimizeOperation(this);
  }

  /** Writes a checkpoint of the latest version (fast log replay for readers); returns that version. */
  public long checkpoint() {
    return checkpoint(context());
  }

  public long checkpoint(LakeContext context) {
    return DeltaMaintenance.checkpoint(this, context);
  }

  /**
   * Deletion of the files no version inside the retention window needs, run by
   * {@link VacuumOperation#run()}: {@code table.vacuum().retention(Duration.ofDays(7)).run()}.
   */
  public VacuumOperation vacuum() {
    return new VacuumOperation(this);
  }

  /**
   * A replacement of the partition(s) matching a filter by the frame's rows, atomically (a
   * backfill), committed by {@link OverwriteOperation#commit()}:
   * {@code table.overwrite(frame).where(Filter.eq("region", "eu")).commit()}.
   */
  public OverwriteOperation overwrite(Frame data) {
    return new OverwriteOperation(this, data);
  }

  /**
   * An append written by many workers and committed once by this process (Spark's
   * {@code INSERT INTO}): it reads the table's latest version for its schema and partitioning now;
   * see {@link DistributedAppend}.
   */
  public DistributedAppend distributedAppend(WriteOptions options) {
    return distributedAppend(context(), options);
  }

  public DistributedAppend distributedAppend(LakeContext context, WriteOptions options) {
    return DistributedAppend.begin(this, requireNonNull(context, "context"), requireNonNull(options, "options"), null);
  }

  /**
   * An overwrite written by many workers and committed once by this process (Spark's
   * {@code INSERT OVERWRITE}): its commit removes the files of the partitions matching
   * {@code partitionFilter} (a conjunction on partition columns; empty: the whole table) and adds the
   * workers' files, whose rows must lie in those partitions; see {@link DistributedAppend}.
   */
  public DistributedAppend distributedOverwrite(LakeContext context, WriteOptions options, List<Filter> partitionFilter) {
    return DistributedAppend.begin(this, requireNonNull(context, "context"), requireNonNull(options, "options"),
        requireNonNull(partitionFilter, "partitionFilter"));
  }

  /** A buffering writer committing on the options' row, byte and latency bounds. Close it when done. */
  public StreamingWriter streamingWriter(WriteOptions options) {
    return streamingWriter(context(), options);
  }

  public StreamingWriter streamingWriter(LakeContext context, WriteOptions options) {
    return new StreamingWriter(this, context, options);
  }

  /** This declaration bound to a catalog's context: its writes without a context resolve and commit there. */
  @Override
  public DeltaTable inCatalog(LakeContext context) {
    return new DeltaTable(this, requireNonNull(context, "context"));
  }

  /** The context of writes given none: the catalog's this handle came from, else the default one. */
  LakeContext context() {
    return catalogContext.orElseGet(LakeContext::defaults);
  }

  @Override
  public ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) throws IOException {
    return new DeltaScanPlanner(this, context).plan(options, pruning);
  }

  /** The declared schema, else the table's own from its log (no data file is opened). */
  @Override
  public Schema schema(LakeContext context) {
    if (schema.isPresent()) {
      return schema.get();
    }
    return DeltaTypes.toSchema(new DeltaScanPlanner(this, context).snapshot(ReadOptions.none()).getSchema());
  }

  /**
   * Version, commit time, files, size, rows and properties of the latest snapshot, from its log:
   * no data file is opened.
   */
  @Override
  public TableDetails details(LakeContext context) throws IOException {
    DeltaScanPlanner planner = new DeltaScanPlanner(this, context);
    Snapshot snapshot = planner.snapshot(ReadOptions.none());
    ScanPlan.Files files = planner.plan(ReadOptions.builder().version(snapshot.getVersion()).build(), Filters.none());
    boolean counted = files.files().stream().allMatch(f -> f.rowCount().isPresent());
    return new TableDetails(OptionalLong.of(snapshot.getVersion()), Optional.of(planner.commitTime(snapshot)),
        OptionalLong.of(files.files().size()), OptionalLong.of(files.bytes()),
        counted ? OptionalLong.of(files.files().stream().mapToLong(f -> f.rowCount().getAsLong()).sum()) : OptionalLong.empty(),
        snapshot.getPartitionColumnNames(), new java.util.TreeMap<>(snapshot.getTableProperties()));
  }

  /**
   * Forgets the default runtime's cached snapshots and scan results of every table, so the next
   * read starts cold (benchmarks); {@code LakeRuntime.refresh()} does it for any runtime.
   */
  public static void clearCaches() {
    io.neuralake.runtime.LakeRuntime.defaults().refresh();
  }

  @Override
  public String toString() {
    return "DeltaTable[" + name + " at " + uri + "]";
  }

  public static final class Builder extends TableBuilder<Builder> {
    private final String uri;
    private Schema schema;
    private final List<String> partitionedBy = new ArrayList<>();
    private final List<String> uniqueColumns = new ArrayList<>();
    private final List<String> statsColumns = new ArrayList<>();
    private final Map<String, Expr> extraColumns = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Expr> checks = new LinkedHashMap<>();

    private Builder(String name, String uri) {
      super(name);
      this.uri = requireNonNull(uri, "uri");
    }

    /** The schema in code: the contract for reads (cast, nulls for missing) and for creating the table. */
    public Builder schema(Schema schema) {
      this.schema = requireNonNull(schema, "schema");
      return this;
    }

    public Builder partitionedBy(String... columns) {
      partitionedBy.addAll(List.of(columns));
      return this;
    }

    public Builder uniqueColumns(String... columns) {
      uniqueColumns.addAll(List.of(columns));
      return this;
    }

    public Builder statsColumns(String... columns) {
      statsColumns.addAll(List.of(columns));
      return this;
    }

    /** A computed column, e.g. {@code extraColumn("o_year", Expr.call("year", Expr.col("o_orderdate")))}. */
    public Builder extraColumn(String name, Expr expr) {
      extraColumns.put(requireNonNull(name, "name"), requireNonNull(expr, "expr"));
      return this;
    }

    /**
     * A check every appended row must pass, e.g. {@code check("positive total", col("o_total").ge(0))};
     * an append with a failing row fails whole, showing the first bad rows, and commits nothing.
     */
    public Builder check(String name, Expr predicate) {
      checks.put(requireNonNull(name, "name"), requireNonNull(predicate, "predicate"));
      return this;
    }

    public Builder property(String key, String value) {
      properties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public DeltaTable build() {
      if (schema != null) {
        for (String c : partitionedBy) {
          if (!schema.contains(c)) {
            throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "table '" + name + "': partition column '" + c
                + "' is not in the schema; its columns are: " + String.join(", ", schema.names()));
          }
        }
        for (String c : uniqueColumns) {
          schema.field(c);
        }
      }
      return new DeltaTable(this);
    }
  }
}
