package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filters;
import io.neuralake.internal.plan.Versions;
import io.neuralake.internal.scan.ParquetScanPlanner;
import io.neuralake.storage.S3Options;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A table of Parquet files: one file, or a folder of files, optionally partitioned by path
 * ({@link PartitioningScheme#HIVE} {@code k=v/} or {@link PartitioningScheme#DIRECTORY} {@code v/}).
 *
 * <pre>{@code
 * ParquetTable SPIKES = ParquetTable.builder("spikes", "s3://bucket/spikes")
 *     .partitioning(PartitioningScheme.HIVE,
 *         Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))
 *     .build();
 * }</pre>
 *
 * Equality filters on leading partitions become a path prefix, other partition filters prune the
 * listing, and the rest are pushed into the Parquet reader (row groups). Files whose columns
 * differ are read by column name, missing columns as nulls.
 */
public final class ParquetTable implements TableDefinition {
  private final String name;
  private final String uri;
  private final TableMetadata metadata;
  private final PartitioningScheme scheme;
  private final List<Partition> partitions;
  private final Optional<Schema> schema;
  private final Optional<S3Options> s3;
  private final Optional<Duration> listingTtl;

  private ParquetTable(Builder b) {
    this.name = b.name;
    this.uri = b.uri;
    this.metadata = b.metadata();
    this.scheme = b.scheme;
    this.partitions = List.copyOf(b.partitions);
    this.schema = Optional.ofNullable(b.schema);
    this.s3 = Optional.ofNullable(b.s3);
    this.listingTtl = Optional.ofNullable(b.listingTtl);
  }

  /** A table at a location: {@code s3://bucket/prefix}, a local path, or a path relative to the lake root. */
  public static Builder builder(String name, String uri) {
    return new Builder(name, uri);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "parquet";
  }

  @Override
  public TableMetadata metadata() {
    return metadata;
  }

  @Override
  public String location() {
    return uri;
  }

  public PartitioningScheme scheme() {
    return scheme;
  }

  @Override
  public List<Partition> partitions() {
    return partitions;
  }

  @Override
  public Optional<Schema> declaredSchema() {
    return schema;
  }

  /** S3 settings of this table, when they differ from the catalog's. */
  public Optional<S3Options> s3Options() {
    return s3;
  }

  /**
   * How long a listing of this table's folder is reused, when the table sets it; otherwise the
   * runtime's ({@code NEURALAKE_LISTING_TTL}; unset: 10 seconds on S3, 0 for local folders).
   */
  public Optional<Duration> listingTtl() {
    return listingTtl;
  }

  @Override
  public ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) throws IOException {
    Versions.requireVersioned(this, "table '" + name + "'", options);
    return new ParquetScanPlanner(this, context).plan(options.filters(), pruning);
  }

  /** The declared schema, else one file's footer (a ranged read) and the partition columns. */
  @Override
  public Schema schema(LakeContext context) throws IOException {
    return new ParquetScanPlanner(this, context).schema();
  }

  /** File count, size and newest file, from a listing. */
  @Override
  public TableDetails details(LakeContext context) throws IOException {
    return new ParquetScanPlanner(this, context).details();
  }

  @Override
  public String toString() {
    return "ParquetTable[" + name + " at " + uri + "]";
  }

  public static final class Builder extends TableBuilder<Builder> {
    private final String uri;
    private PartitioningScheme scheme = PartitioningScheme.HIVE;
    private final List<Partition> partitions = new ArrayList<>();
    private Schema schema;
    private S3Options s3;
    private Duration listingTtl;

    private Builder(String name, String uri) {
      super(name);
      this.uri = requireNonNull(uri, "uri");
    }

    public Builder partitioning(PartitioningScheme scheme, Partition... partitions) {
      this.scheme = requireNonNull(scheme, "scheme");
      this.partitions.addAll(List.of(partitions));
      return this;
    }

    /** Declares the schema: columns are cast to it, missing columns read as nulls, others dropped. */
    public Builder schema(Schema schema) {
      this.schema = requireNonNull(schema, "schema");
      return this;
    }

    /**
     * S3 settings for this table only, e.g. another account:
     * {@code .s3(S3Options.fromEnvironment("ARCHIVE_"))} reads {@code ARCHIVE_AWS_ACCESS_KEY_ID} and so on.
     */
    public Builder s3(S3Options options) {
      this.s3 = requireNonNull(options, "options");
      return this;
    }

    /**
     * How long a listing of the table's folder may be reused: files written since are not seen
     * before it passes (or {@code LakeRuntime.refresh()}). {@code Duration.ZERO} lists on every
     * read. Default: the runtime's setting ({@code NEURALAKE_LISTING_TTL}; unset: 10 seconds on
     * S3, 0 for local folders).
     */
    public Builder listingTtl(Duration ttl) {
      requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "table '" + name + "': the listing TTL must be zero or"
            + " more, got " + ttl);
      }
      this.listingTtl = ttl;
      return this;
    }

    public ParquetTable build() {
      Set<String> seen = new HashSet<>();
      for (Partition p : partitions) {
        if (!seen.add(p.column())) {
          throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
              "table '" + name + "': partition column '" + p.column() + "' is declared twice");
        }
        if (schema != null && schema.find(p.column()).filter(f -> !f.type().equals(p.type())).isPresent()) {
          throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
              "table '" + name + "': partition column '" + p.column() + "' is "
              + p.type() + " but the schema says " + schema.field(p.column()).type());
        }
      }
      return new ParquetTable(this);
    }
  }
}
