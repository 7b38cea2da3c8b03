import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.Table;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.table.ReadOptions;
import io.neuralake.types.DataType;
import java.util.List;

/** Brain-computer-interface sessions: spike counts partitioned by implant and day, as in the talk. */
public final class Bci {
  public static final ParquetTable SPIKES = ParquetTable.builder("spikes", "spikes")
      .description("Binned spike counts per channel, from implant sessions.")
      .dataInput("Implant telemetry, one folder per implant and day.")
      .latencyInfo("Written once a day after the session ends.")
      .partitioning(PartitioningScheme.HIVE,
          Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))
      .docsFilters(Filter.eq("implant_id", 4595), Filter.eq("date", "2024-04-28"))
      .build();

  /**
   * A function table that pushes the caller's implant and date filters into its own read of a
   * sibling table, through the catalog it is in (the one being queried, with its runtime and root).
   */
  @Table(
      description = "Spike totals per implant, day and channel.",
      dataInput = "Computed from bci.spikes.",
      latencyInfo = "Computed when queried.",
      docsFilters = {"implant_id = 4595"})
  public static Frame daily_spikes(Catalog catalog, ReadOptions options) {
    ReadOptions pushed = ReadOptions.builder()
        .filters(options.filters().restrictTo(List.of("implant_id", "date")))
        .build();
    return catalog.db("bci").table("spikes", pushed)
        .groupBy("implant_id", "date", "channel")
        .agg(Expr.col("spike_count").sum().as("total_spikes"), Expr.col("rate_hz").mean().as("mean_rate_hz"));
  }

  private Bci() {}
}
