package io.neuralake.internal.scan;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filters;
import io.neuralake.storage.Listing;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.FileNotFoundException;
import java.io.IOException;
import io.neuralake.table.TableDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which Parquet files a read of a {@link ParquetTable} needs. Equality filters on the
 * leading partitions become a path prefix; the remaining partition filters prune folder by folder
 * while the listing walks down, so pruned folders are never listed.
 */
public final class ParquetScanPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetScanPlanner.class);

  private final ParquetTable table;
  private final LakeContext context;
  private final List<Partition> partitions;
  private int partitionsMatched;
  private int partitionsPruned;

  public ParquetScanPlanner(ParquetTable table, LakeContext context) {
    this.table = table;
    this.context = context;
    this.partitions = table.partitions();
  }

  /**
   * @param required the read's filters (values must fit their columns)
   * @param hints filters derived from the query, used for pruning where they apply
   */
  public ScanPlan.Files plan(Filters required, Filters hints) throws IOException {
    Location location = context.resolve(table.location());
    ObjectStore store = ListingCache.forTable(context, context.storeFor(location, table.s3Options()), location,
        table.listingTtl());
    PartitionPredicate predicate = new PartitionPredicate(table.name(), required, hints, partitions);

    List<ObjectInfo> selected = new ArrayList<>();
    List<Map<String, Object>> values = new ArrayList<>();
    Location start = location.asFolder();
    if (partitions.isEmpty()) {
      Optional<ObjectInfo> single = location.isFolder() ? Optional.empty() : store.head(location);
      List<ObjectInfo> found = single.isPresent() ? List.of(single.get()) : listDataFiles(store, location.asFolder());
      if (found.isEmpty()) {
        throw new FileNotFoundException("table '" + table.name() + "': no Parquet files at " + location
            + "; check the table's location, or that the data was written there");
      }
      selected.addAll(found);
      found.forEach(f -> values.add(Map.of()));
      start = single.isPresent() ? location : start;
    } else {
      List<Object> pinned = predicate.leadingEqualities(partitions);
      Map<String, Object> known = new LinkedHashMap<>();
      int prefix = 0;
      // a value with special characters may be spelled escaped (Spark) or not (other tools):
      // from there on, the walk lists the folders and compares their decoded values
      while (prefix < pinned.size() && PathValues.hasOneSpelling(PathValues.format(pinned.get(prefix)))) {
        Partition p = partitions.get(prefix);
        start = start.resolve(table.scheme().segment(p.column(), PathValues.format(pinned.get(prefix))) + "/");
        known.put(p.column(), pinned.get(prefix));
        prefix++;
      }
      pinned = pinned.subList(0, prefix);
      walk(store, start, pinned.size(), known, predicate, selected, values);
      if (pinned.isEmpty() && partitionsMatched + partitionsPruned == 0) {
        throw new FileNotFoundException("table '" + table.name() + "': no partition folders under " + location
            + "; check the table's location, or that the data was written there");
      }
    }

    List<ScanPlan.DataFile> files = new ArrayList<>(selected.size());
    for (int i = 0; i < selected.size(); i++) {
      files.add(ScanPlan.DataFile.of(selected.get(i), values.get(i)));
    }
    // the columns of the files the read opens (by name, as the engine unions them), from their footers
    Schema schema = table.declaredSchema().isPresent() ? table.declaredSchema().get()
        : inferSchema(store, selected.isEmpty() ? firstDataFile(store, location) : selected);
    ScanPlan.ScanStats stats = new ScanPlan.ScanStats(start.toString(), partitionsMatched, partitionsPruned,
        files.size(), 0, "");
    LOG.debug("table {}: {}", table.name(), stats);
    return new ScanPlan.Files(store, files, partitions, schema, stats);
  }

  /** The table's columns from metadata only: declared, or one file's footer and the partition columns. */
  public Schema schema() throws IOException {
    if (table.declaredSchema().isPresent()) {
      return table.declaredSchema().get();
    }
    Location location = context.resolve(table.location());
    ObjectStore store = context.storeFor(location, table.s3Options());
    Optional<ObjectInfo> single = location.isFolder() ? Optional.empty() : store.head(location);
    return inferSchema(store, single.isPresent() ? List.of(single.get()) : firstDataFile(store, location));
  }

  /** File count, size and newest file, from one listing. */
  public TableDetails details() throws IOException {
    Location location = context.resolve(table.location());
    ObjectStore store = context.storeFor(location, table.s3Options());
    Optional<ObjectInfo> single = location.isFolder() ? Optional.empty() : store.head(location);
    List<ObjectInfo> files = single.isPresent() ? List.of(single.get()) : listDataFiles(store, location.asFolder());
    Optional<Instant> newest = files.stream().map(ObjectInfo::lastModified).filter(java.util.Objects::nonNull)
        .max(java.util.Comparator.naturalOrder());
    return new TableDetails(OptionalLong.empty(), newest, OptionalLong.of(files.size()),
        OptionalLong.of(files.stream().mapToLong(ObjectInfo::size).sum()), OptionalLong.empty(),
        partitions.stream().map(Partition::column).toList(), java.util.Map.of());
  }

  private List<ObjectInfo> firstDataFile(ObjectStore store, Location location) throws IOException {
    List<ObjectInfo> any = firstFileUnder(store, location.asFolder()).map(List::of).orElse(List.of());
    if (any.isEmpty()) {
      throw new FileNotFoundException("table '" + table.name() + "': no Parquet files under " + location
          + ", so its schema is unknown; write data first or declare the schema");
    }
    return List.of(any.get(0));
  }

  private void walk(ObjectStore store, Location folder, int depth, Map<String, Object> known,
      PartitionPredicate predicate, List<ObjectInfo> selected, List<Map<String, Object>> values) throws IOException {
    if (depth == partitions.size()) {
      partitionsMatched++;
      for (ObjectInfo f : listDataFiles(store, folder)) {
        selected.add(f);
        values.add(known);
      }
      return;
    }
    Partition partition = partitions.get(depth);
    Listing listing = store.listLevel(folder);
    for (Location child : listing.folders()) {
      String name = child.name();
      if (isHidden(name)) {
        continue;
      }
      Object value = parseSegment(partition, name, child);
      Map<String, Object> next = new LinkedHashMap<>(known);
      next.put(partition.column(), value);
      if (predicate.mightMatch(next)) {
        walk(store, child, depth + 1, next, predicate, selected, values);
      } else {
        partitionsPruned++;
      }
    }
  }

  private Object parseSegment(Partition partition, String segment, Location path) {
    String raw = segment;
    if (table.scheme() == PartitioningScheme.HIVE) {
      int eq = segment.indexOf('=');
      if (eq < 0 || !PathValues.unescape(segment.substring(0, eq)).equals(partition.column())) {
        throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH,
            "table '" + table.name() + "': the partition path '" + path
            + "' does not match the declared HIVE partitioning: expected a folder named '" + partition.column()
            + "=<" + partition.type() + ">'; fix the folder or the table's partitioning");
      }
      raw = segment.substring(eq + 1);
    }
    return TypedValues.parsePathValue(table.name(), partition.column(), raw, partition.type(), path.toString());
  }

  private Schema inferSchema(ObjectStore store, List<ObjectInfo> files) throws IOException {
    Schema physical = FooterSchemas.of(context).schema(context.engine(), store, files);
    List<Field> fields = new ArrayList<>();
    for (Field f : physical.fields()) {
      if (partitions.stream().noneMatch(p -> p.column().equals(f.name()))) {
        fields.add(f);
      }
    }
    partitions.forEach(p -> fields.add(Field.of(p.column(), p.type())));
    return new Schema(fields);
  }

  /**
   * The first data file under a folder in name order, found one level at a time (files first, then
   * folders, hidden ones skipped): a few listings however many partition folders the table has,
   * where listing all of them to take one file grows with the lake.
   */
  private static Optional<ObjectInfo> firstFileUnder(ObjectStore store, Location folder) throws IOException {
    Listing level = store.listLevel(folder);
    Optional<ObjectInfo> file = level.objects().stream()
        .filter(o -> {
          String relative = folder.relativize(o.location());
          return relative != null && isDataFile(relative);
        })
        .min(java.util.Comparator.comparing(o -> o.location().toString()));
    if (file.isPresent()) {
      return file;
    }
    List<Location> folders = level.folders().stream()
        .filter(f -> {
          String relative = folder.relativize(f);
          return relative != null && !isHidden(relative.endsWith("/") ? relative.substring(0, relative.length() - 1) : relative);
        })
        .sorted(java.util.Comparator.comparing(Location::toString)).toList();
    for (Location sub : folders) {
      Optional<ObjectInfo> found = firstFileUnder(store, sub.asFolder());
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static List<ObjectInfo> listDataFiles(ObjectStore store, Location folder) throws IOException {
    List<ObjectInfo> out = new ArrayList<>();
    for (ObjectInfo info : store.list(folder)) {
      String relative = folder.relativize(info.location());
      if (relative != null && isDataFile(relative)) {
        out.add(info);
      }
    }
    return out;
  }

  /** Parquet files, skipping hidden and bookkeeping files ({@code _SUCCESS}, {@code .crc}, {@code _delta_log/}). */
  static boolean isDataFile(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (isHidden(part)) {
        return false;
      }
    }
    return relativePath.toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  private static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }
}
