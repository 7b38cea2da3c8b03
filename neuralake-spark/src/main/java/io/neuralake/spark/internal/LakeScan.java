package io.neuralake.spark.internal;

import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filters;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.jdbc.JdbcTable;
import io.neuralake.table.ScanPlan;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read planned on the driver by Neuralake's own planner (partition pruning, Delta log and
 * statistics skipping, deletion vectors), once, when Spark first asks: files become input
 * partitions of a few files each, read on executors, and so do the ranges of a relational table;
 * anything else (function tables) runs here and goes to one partition as Arrow data.
 */
final class LakeScan implements Scan, Batch, SupportsReportStatistics {
  private static final Logger LOG = LoggerFactory.getLogger(LakeScan.class);

  private final TableRef ref;
  private final TableDefinition definition;
  private final Schema schema;
  private final Filters pushed;
  private final List<String> columns;
  private final OptionalInt limit;
  /** The aggregation each partition computes, or null: rows. */
  private final PushedAggregation aggregation;
  private Planned planned;

  /**
   * The input partitions, what planning did (for explain output), and the bytes and rows read
   * (unknown: -1): the planned files' sizes and row counts, or the size of the rows computed
   * on the driver ({@code local}).
   */
  private record Planned(InputPartition[] partitions, String summary, long bytes, long rows, boolean local) {}

  LakeScan(TableRef ref, TableDefinition definition, Schema schema, Filters pushed, List<String> columns,
      OptionalInt limit, PushedAggregation aggregation) {
    this.ref = ref;
    this.definition = definition;
    this.schema = schema;
    this.pushed = pushed;
    this.columns = columns;
    this.limit = limit;
    this.aggregation = aggregation;
  }

  @Override
  public StructType readSchema() {
    return aggregation != null ? aggregation.sparkSchema(schema) : SparkTypes.schema(schema.select(columns));
  }

  @Override
  public String description() {
    return "Neuralake " + ref + " [" + planned().summary + "; filters: " + pushed
        + (aggregation != null ? "; aggregated per partition: " + aggregation : "; columns: " + String.join(", ", columns))
        + (limit.isPresent() ? "; limit " + limit.getAsInt() : "") + "]";
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return planned().partitions.clone();
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new LakeReaderFactory();
  }

  private synchronized Planned planned() {
    if (planned == null) {
      try {
        planned = plan();
      } catch (NeuralakeException | UncheckedIOException e) {
        throw SparkErrors.raise(SparkErrors.analysis("Neuralake could not plan the read of " + ref + ": "
            + SparkErrors.describe(e)));
      }
    }
    return planned;
  }

  private Planned plan() {
    Catalog catalog = ref.catalog();
    long start = System.nanoTime();
    List<OutputColumn> output = columns.stream().map(c -> OutputColumn.of(c, schema.field(c).type())).toList();
    Planned out = definition instanceof JdbcTable relational ? ranges(relational, catalog, output)
        : planned(catalog, output);
    LOG.info("planned {} in {} ms: {}", ref, (System.nanoTime() - start) / 1_000_000, out.summary);
    return out;
  }

  /**
   * A relational table's read as one input partition per range of its partition column (one when it
   * declares none, or for a limited read, whose limit a range's query cannot apply): each task
   * reads its range by one query on its own connection.
   */
  private Planned ranges(JdbcTable table, Catalog catalog, List<OutputColumn> output) {
    List<JdbcTable.Range> ranges = limit.isPresent() ? List.of(JdbcTable.Range.ALL)
        : table.ranges(ref.readOptions().and(pushed), catalog.context());
    InputPartition[] partitions = ranges.stream()
        .map(r -> new RelationalPartition(ref, r, ShippedFilters.of(pushed), output, schema.names().get(0),
            limit.orElse(-1), aggregation))
        .toArray(InputPartition[]::new);
    String summary = ranges.size() == 1 ? "1 input partition reading the table by one query"
        : ranges.size() + " input partitions, one range of the table's partition column each";
    return new Planned(partitions, summary, -1, -1, false);
  }

  private Planned planned(Catalog catalog, List<OutputColumn> output) {
    ScanPlan plan;
    try {
      plan = definition.plan(ref.readOptions(), pushed, catalog.context());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Planned out;
    if (plan instanceof ScanPlan.Files files) {
      List<List<ScanPlan.DataFile>> groups = FileGroups.split(files, parallelism(), maxPartitionBytes());
      InputPartition[] partitions = groups.stream()
          .map(g -> new FilePartition(ref, definition.kind(), ShippedFiles.of(files, g), ShippedFilters.of(pushed),
              output, limit.orElse(-1), aggregation))
          .toArray(InputPartition[]::new);
      long bytes = files.files().stream().mapToLong(ScanPlan.DataFile::size).sum();
      long rows = files.files().stream().allMatch(f -> f.rowCount().isPresent() && f.deletedRows().isEmpty())
          ? files.files().stream().mapToLong(f -> f.rowCount().getAsLong()).sum() : -1;
      out = new Planned(partitions, files.stats() + ", " + partitions.length + " input partition(s)", bytes, rows, false);
    } else {
      LocalPartition local = local(catalog, output);
      out = new Planned(new InputPartition[] {local}, plan.stats() + ", run on the driver", local.arrowIpc().length, -1, true);
    }
    return out;
  }

  /** The table's rows for this scan, computed here by the catalog's engine, as one Arrow partition. */
  private LocalPartition local(Catalog catalog, List<OutputColumn> output) {
    Frame frame = catalog.db(ref.database()).table(ref.table(), ref.readOptions().toBuilder().filters(pushed).build());
    if (aggregation != null) {
      frame = aggregation.apply(frame);
    } else {
      Expr[] select = output.isEmpty()
          ? new Expr[] {Expr.col(schema.names().get(0))}
          : output.stream().map(OutputColumn::expr).toArray(Expr[]::new);
      frame = frame.select(select);
    }
    if (limit.isPresent()) {
      frame = frame.limit(limit.getAsInt());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataFrame rows = frame.collect()) {
      rows.writeArrowIpc(bytes);
    }
    return new LocalPartition(bytes.toByteArray(), aggregation != null ? readSchema().size() : output.size());
  }

  /**
   * What the read costs, for Spark's join planning: a small table (under
   * {@code spark.sql.autoBroadcastJoinThreshold}) is broadcast instead of shuffled. As Spark's own
   * file sources estimate it: the files' bytes, scaled by the share of the row the read's columns take.
   */
  @Override
  public Statistics estimateStatistics() {
    Planned p = planned();
    StructType all = SparkTypes.schema(schema);
    double share = all.defaultSize() == 0 ? 1.0 : Math.min(1.0, (double) readSchema().defaultSize() / all.defaultSize());
    // unknown (a relational table's): Spark takes it as large, and does not broadcast it
    OptionalLong size = p.bytes < 0 ? OptionalLong.empty()
        : OptionalLong.of(p.local ? p.bytes : Math.max(1, (long) (p.bytes * share)));
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return size;
      }

      @Override
      public OptionalLong numRows() {
        return p.rows >= 0 && limit.isEmpty() && pushed.isEmpty() && aggregation == null ? OptionalLong.of(p.rows)
            : OptionalLong.empty();
      }
    };
  }

  private static int parallelism() {
    return Math.max(1, SparkContext.getOrCreate().defaultParallelism());
  }

  private static long maxPartitionBytes() {
    return SQLConf.get().filesMaxPartitionBytes();
  }

  @Override
  public String toString() {
    // not description(): that plans, and a log line or a debugger should not
    return "LakeScan[" + ref + "; filters: " + pushed + "; columns: " + columns + "]";
  }
}
