package io.neuralake.delta.internal.write;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.DataFileStatus;
import io.neuralake.delta.internal.DeltaTypes;
import io.neuralake.delta.internal.StoreFileIO;
import io.neuralake.frame.DataFrame;
import io.neuralake.spi.SqlText;
import io.neuralake.spi.EngineSession;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.Identifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes data files for a commit: DuckDB writes Parquet (zstd, split near a target size) into a
 * local folder, reporting for each file the statistics Delta needs for data skipping (row count,
 * min, max, null count), and the files are moved or uploaded into the table's folder.
 * Nothing is visible to readers until the commit that adds them.
 */
public final class DataFileWriter {
  /** Delta keeps string bounds short; a longer minimum is cut (still a lower bound), a longer maximum omitted. */
  private static final int MAX_STRING_STAT = 32;
  /** DuckDB's key for a nested column's own id among its children's in FIELD_IDS. */
  private static final String DUCKDB_FIELD_ID = "__duckdb_field_id";

  private DataFileWriter() {}

  /**
   * A column as written: its table name, its name in the file, its Delta type (for statistics),
   * and its Parquet field id (column mapping by id), if it has one.
   */
  public record FileColumn(String name, String physicalName, DataType type, boolean collectStats, OptionalInt fieldId) {
    /**
     * SQL giving this column as written, from the table's column of its name: under column
     * mapping nested struct fields too go under their physical names, at every depth.
     */
    String fromTable() {
      String column = Identifiers.quote(name);
      io.neuralake.types.DataType logical = DeltaTypes.toType(type);
      io.neuralake.types.DataType stored = DeltaTypes.toStoredType(type);
      String value = logical.equals(stored) ? column : SqlText.nestedRename(column, new ScanPlan.NestedNames(logical, stored));
      return value + " AS " + Identifiers.quote(physicalName);
    }
  }

  /**
   * @param select a query producing the file columns under their physical names
   * @param targetDirectory the table (or partition) folder, as Kernel names it
   */
  public static List<DataFileStatus> write(EngineSession session, Storage storage, String select, List<FileColumn> columns,
      String targetDirectory, long targetFileBytes) {
    return writePartitioned(session, storage, select, columns, Map.of(0, targetDirectory), targetFileBytes, null).get(0);
  }

  /**
   * Writes the files of many partitions in one pass: {@code select} gives each row's partition as
   * a number in its column {@code partitionColumn} (not written into the files), and
   * {@code targetDirectories} the folder of each number. A number missing from the result had no rows.
   *
   * @param partitionColumn null: one partition, numbered 0
   */
  public static Map<Integer, List<DataFileStatus>> writePartitioned(EngineSession session, Storage storage, String select,
      List<FileColumn> columns, Map<Integer, String> targetDirectories, long targetFileBytes, String partitionColumn) {
    Path tmp;
    try {
      tmp = Files.createTempDirectory("neuralake-write");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      StringBuilder options = new StringBuilder("FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, FILE_SIZE_BYTES ")
          .append(targetFileBytes);
      List<String> ids = columns.stream()
          .flatMap(c -> fieldIds(Identifiers.quote(c.physicalName()), c.fieldId(), c.type()).stream()).toList();
      if (!ids.isEmpty()) {
        options.append(", FIELD_IDS {").append(String.join(", ", ids)).append('}');
      }
      if (partitionColumn != null) {
        options.append(", PARTITION_BY (").append(Identifiers.quote(partitionColumn)).append(')');
      }
      // the writer reports each file's statistics as it writes it: no file is read back
      options.append(", RETURN_STATS");
      Map<Path, DataFileStatistics> stats;
      try (DataFrame returned = session.collect("COPY (" + select + ") TO " + SqlText.string(tmp.toString()) + " ("
          + options + ")")) {
        stats = WriterStatistics.of(returned, columns);
      }
      // one folder per partition number (name=number) when partitioned, the files themselves otherwise
      Map<Integer, List<Path>> written = new TreeMap<>();
      for (Path file : stats.keySet().stream().sorted(Comparator.naturalOrder()).toList()) {
        int partition = partitionColumn == null ? 0 : partitionNumber(tmp.relativize(file), partitionColumn);
        written.computeIfAbsent(partition, k -> new ArrayList<>()).add(file);
      }
      Map<Integer, List<DataFileStatus>> out = new TreeMap<>();
      for (Map.Entry<Integer, List<Path>> partition : written.entrySet()) {
        String targetDirectory = targetDirectories.get(partition.getKey());
        if (targetDirectory == null) {
          throw new IllegalStateException("the engine wrote rows of partition " + partition.getKey() + ", which was not asked for");
        }
        Location folder = Location.parse(targetDirectory).asFolder();
        ObjectStore store = storage.storeFor(folder);
        List<DataFileStatus> published = new ArrayList<>();
        for (Path file : partition.getValue()) {
          DataFileStatistics fileStats = stats.get(file);
          if (fileStats.getNumRecords() == 0) {
            continue;
          }
          Location target = folder.resolve("part-" + UUID.randomUUID() + ".c000.zstd.parquet");
          long size = Files.size(file);
          store.moveFile(target, file);
          published.add(new DataFileStatus(StoreFileIO.qualified(target), size, System.currentTimeMillis(), Optional.of(fileStats)));
        }
        out.put(partition.getKey(), published);
      }
      if (partitionColumn == null) {
        out.putIfAbsent(0, List.of());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("writing data files to " + targetDirectories.values().iterator().next() + " failed: "
          + e.getMessage(), e);
    } finally {
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder
      }
    }
  }

  /** The partition number of a file the engine wrote under {@code column=number/}. */
  private static int partitionNumber(Path relative, String column) {
    String folder = relative.getName(0).toString();
    if (relative.getNameCount() != 2 || !folder.startsWith(column + "=")) {
      throw new IllegalStateException("the engine wrote " + relative + ", not a file in a " + column + "= folder");
    }
    return Integer.parseInt(folder.substring(column.length() + 1));
  }

  /**
   * A column's entry in DuckDB's FIELD_IDS, if it or a field inside it has a Parquet field id:
   * under column mapping by id, struct fields at every depth carry theirs in their metadata
   * ({@code delta.columnMapping.id}), as Spark writes them. List elements and map keys and values
   * have none (Delta gives them ids only for Iceberg compatibility, which Neuralake does not write).
   */
  static Optional<String> fieldIds(String key, OptionalInt id, DataType type) {
    List<String> children = new ArrayList<>();
    switch (type) {
      case StructType s -> s.fields().forEach(f -> fieldIds(Identifiers.quote(DeltaTypes.physicalName(f)), fieldId(f),
          f.getDataType()).ifPresent(children::add));
      case ArrayType a -> fieldIds("element", OptionalInt.empty(), a.getElementType()).ifPresent(children::add);
      case MapType m -> {
        fieldIds("key", OptionalInt.empty(), m.getKeyType()).ifPresent(children::add);
        fieldIds("value", OptionalInt.empty(), m.getValueType()).ifPresent(children::add);
      }
      default -> { }
    }
    if (children.isEmpty()) {
      return id.isPresent() ? Optional.of(key + ": " + id.getAsInt()) : Optional.empty();
    }
    if (id.isPresent()) {
      children.addFirst(DUCKDB_FIELD_ID + ": " + id.getAsInt());
    }
    return Optional.of(key + ": {" + String.join(", ", children) + "}");
  }

  /** A field's Parquet field id under column mapping by id. */
  static OptionalInt fieldId(StructField field) {
    Object id = field.getMetadata().get(DeltaTypes.FIELD_ID);
    return id == null ? OptionalInt.empty() : OptionalInt.of(((Number) id).intValue());
  }

  /** Whether Delta keeps min/max statistics for a type. */
  public static boolean hasStats(DataType type) {
    return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType
        || type instanceof FloatType || type instanceof DoubleType || type instanceof DecimalType || type instanceof StringType
        || type instanceof DateType || type instanceof TimestampType || type instanceof TimestampNTZType;
  }

  static Literal literal(Object value, DataType type, boolean isMin) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case ByteType t -> Literal.ofByte(((Number) value).byteValue());
      case ShortType t -> Literal.ofShort(((Number) value).shortValue());
      case IntegerType t -> Literal.ofInt(((Number) value).intValue());
      case LongType t -> Literal.ofLong(((Number) value).longValue());
      case FloatType t -> Double.isNaN(((Number) value).doubleValue()) ? null : Literal.ofFloat(((Number) value).floatValue());
      case DoubleType t -> Double.isNaN(((Number) value).doubleValue()) ? null : Literal.ofDouble(((Number) value).doubleValue());
      case DecimalType t -> Literal.ofDecimal(((BigDecimal) value).setScale(t.getScale()), t.getPrecision(), t.getScale());
      case StringType t -> {
        String s = value.toString();
        if (s.length() <= MAX_STRING_STAT) {
          yield Literal.ofString(s);
        }
        yield isMin ? Literal.ofString(s.substring(0, MAX_STRING_STAT)) : null;
      }
      case DateType t -> Literal.ofDate((int) ((LocalDate) value).toEpochDay());
      case TimestampType t -> Literal.ofTimestamp(micros(value));
      case TimestampNTZType t -> Literal.ofTimestampNtz(micros(value));
      default -> null;
    };
  }

  private static long micros(Object value) {
    Instant instant = value instanceof Instant i ? i : ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
