package io.neuralake.spark.internal;

import io.neuralake.frame.Expr;
import io.neuralake.spi.SqlText;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.Partition;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A planned scan of files as it travels from the driver to an executor: everything of a
 * {@link ScanPlan.Files} but its store, which the executor takes from its own copy of the catalog.
 * Types travel as their declared names, computed columns as the engine's SQL.
 */
public record ShippedFiles(List<ShippedFile> files, List<Column> partitions, List<Column> schema,
    List<Source> projection, LinkedHashMap<String, String> extraColumns, List<String> uniqueColumns)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A column: name, declared type and whether it may be null. */
  public record Column(String name, String type, boolean nullable) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** An output column read from a source column, with the files' names of its nested fields when they differ. */
  public record Source(String name, String source, String type, String nestedInFiles, String nestedInTable)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A data file: location, size, ETag (or null), row count (or -1), partition values, deleted rows (or null). */
  public record ShippedFile(String location, long size, String etag, long rowCount,
      LinkedHashMap<String, Object> partitionValues, long[] deletedRows) implements Serializable {
    private static final long serialVersionUID = 1L;

    static ShippedFile of(ScanPlan.DataFile f) {
      return new ShippedFile(f.location().toString(), f.size(), f.etag().orElse(null),
          f.rowCount().isPresent() ? f.rowCount().getAsLong() : -1, new LinkedHashMap<>(f.partitionValues()),
          f.deletedRows().orElse(null));
    }

    ScanPlan.DataFile toDataFile() {
      return new ScanPlan.DataFile(Location.parse(location), size, Optional.ofNullable(etag),
          rowCount < 0 ? OptionalLong.empty() : OptionalLong.of(rowCount), partitionValues,
          Optional.ofNullable(deletedRows));
    }
  }

  /** The plan with only {@code group} of its files. */
  public static ShippedFiles of(ScanPlan.Files plan, List<ScanPlan.DataFile> group) {
    List<Column> partitions = plan.partitionColumns().stream()
        .map(p -> new Column(p.column(), p.type().typeName(), true)).toList();
    List<Column> schema = plan.schema().map(s -> s.fields().stream()
        .map(f -> new Column(f.name(), f.type().typeName(), f.nullable())).toList()).orElse(null);
    List<Source> projection = plan.projection().map(p -> p.stream().map(c -> new Source(c.name(), c.source(),
        c.type().typeName(), c.fileNames().map(n -> n.inFiles().typeName()).orElse(null),
        c.fileNames().map(n -> n.inTable().typeName()).orElse(null))).toList()).orElse(null);
    LinkedHashMap<String, String> extra = new LinkedHashMap<>();
    plan.extraColumns().forEach((name, e) -> extra.put(name, SqlText.expr(e)));
    return new ShippedFiles(group.stream().map(ShippedFile::of).toList(), partitions, schema, projection, extra,
        plan.uniqueColumns());
  }

  /** The plan again, reading through {@code store}. */
  public ScanPlan.Files toPlan(ObjectStore store, String stats) {
    List<ScanPlan.DataFile> dataFiles = files.stream().map(ShippedFile::toDataFile).toList();
    List<Partition> partitionColumns = partitions.stream()
        .map(c -> Partition.of(c.name(), DataType.parse(c.type()))).toList();
    Optional<Schema> tableSchema = Optional.ofNullable(schema).map(s -> new Schema(s.stream()
        .map(c -> new Field(c.name(), DataType.parse(c.type()), c.nullable(), "")).toList()));
    Optional<List<ScanPlan.ColumnSource>> columns = Optional.ofNullable(projection).map(p -> p.stream()
        .map(s -> new ScanPlan.ColumnSource(s.name(), s.source(), DataType.parse(s.type()),
            s.nestedInFiles() == null ? Optional.empty() : Optional.of(new ScanPlan.NestedNames(
                DataType.parse(s.nestedInFiles()), DataType.parse(s.nestedInTable())))))
        .toList());
    Map<String, Expr> extra = new LinkedHashMap<>();
    extraColumns.forEach((name, sql) -> extra.put(name, Expr.sql(sql)));
    return new ScanPlan.Files(store, dataFiles, partitionColumns, tableSchema,
        new ScanPlan.ScanStats("", 0, 0, dataFiles.size(), 0, stats), columns, extra, uniqueColumns);
  }

  /** Bytes of the files. */
  public long bytes() {
    return files.stream().mapToLong(ShippedFile::size).sum();
  }
}
