package io.neuralake.table;

/** How partition values appear in paths. */
public enum PartitioningScheme {
  /** {@code implant_id=4595/date=2024-04-28/part-0.parquet} */
  HIVE,
  /** {@code 4595/2024-04-28/part-0.parquet}: values only, in declaration order. */
  DIRECTORY;

  /** The path segment for one partition value. */
  public String segment(String column, String value) {
    return this == HIVE ? column + "=" + value : value;
  }
}
