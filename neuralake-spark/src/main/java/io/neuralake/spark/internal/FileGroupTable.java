package io.neuralake.spark.internal;

import io.neuralake.filter.Filters;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableMetadata;

/**
 * An executor's share of a planned table: the files the driver planned for one input partition.
 * Read through a frame, so the engine reads them exactly as it reads any table's files (the same
 * SQL: partition values, deletion vectors, column sources, computed columns).
 */
final class FileGroupTable implements TableDefinition {
  private final String name;
  private final String kind;
  private final ScanPlan.Files plan;

  FileGroupTable(String name, String kind, ScanPlan.Files plan) {
    this.name = name;
    this.kind = kind;
    this.plan = plan;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public TableMetadata metadata() {
    return TableMetadata.empty();
  }

  @Override
  public ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) {
    // planned on the driver: the filters, applied by the engine over these files, were used to choose them
    return plan;
  }
}
