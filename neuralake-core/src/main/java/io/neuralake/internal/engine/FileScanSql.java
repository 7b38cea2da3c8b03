package io.neuralake.internal.engine;

import static io.neuralake.types.Identifiers.quote;

import io.neuralake.frame.DataFrame;
import io.neuralake.internal.sql.ExprSql;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.table.Partition;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * SQL that reads a planned list of Parquet files. Files are read by column name (missing columns
 * are null); partition values, which live in paths, are added as typed constants per partition,
 * replacing any copy of the column inside the files.
 */
public final class FileScanSql {
  /**
   * Columns by name across files; partition values come from the scan plan only, never from
   * {@code key=value} folders the engine would otherwise find in a path (a table stored below
   * such a folder, or a local path where the cached copy of a remote file has none).
   */
  public static final String READ_OPTIONS = "union_by_name = true, hive_partitioning = false";

  private FileScanSql() {}

  /** SQL reading the plan's files from their local copies, {@code local} in the order of {@code plan.files()}. */
  public static String build(ScanPlan.Files plan, List<Path> local, Session session) {
    if (local.size() != plan.files().size()) {
      throw new IllegalArgumentException(plan.files().size() + " files planned but " + local.size() + " local copies given");
    }
    return computed(plan, plan.files().isEmpty() ? emptyColumns(plan) : columns(plan, local, session));
  }

  /**
   * The scan with no rows: its columns and types from the plan alone, so that queries over it can
   * be typed (schemas, explain) without opening a file.
   */
  public static String empty(ScanPlan.Files plan) {
    return computed(plan, emptyColumns(plan));
  }

  /** Computed columns and one row per unique key, over the table's columns. */
  private static String computed(ScanPlan.Files plan, String sql) {
    if (!plan.extraColumns().isEmpty()) {
      sql = "SELECT *, " + plan.extraColumns().entrySet().stream()
          .map(e -> ExprSql.render(e.getValue()) + " AS " + quote(e.getKey())).collect(Collectors.joining(", "))
          + " FROM (" + sql + ")";
    }
    if (!plan.uniqueColumns().isEmpty()) {
      sql = "SELECT DISTINCT ON (" + plan.uniqueColumns().stream().map(c -> quote(c)).collect(Collectors.joining(", "))
          + ") * FROM (" + sql + ")";
    }
    return sql;
  }

  private static String emptyColumns(ScanPlan.Files plan) {
    List<Field> fields = plan.columns().stream().map(c -> Field.of(c.name(), c.type())).toList();
    return empty(new Schema(fields));
  }

  /** The table's columns, from the files: by name, cast to the planned types, missing ones null. */
  private static String columns(ScanPlan.Files plan, List<Path> local, Session session) {
    boolean simple = plan.partitionColumns().isEmpty()
        && plan.files().stream().allMatch(f -> f.deletedRows().isEmpty());
    String raw = simple ? read(local, false) : branches(plan, local, session);
    List<ScanPlan.ColumnSource> projection = plan.columns();
    // the engine's reading of these very file versions, asked once per engine
    Schema physical = session.memo().fileColumns(raw, plan, session::describe);
    if (isIdentity(projection, physical)) {
      return raw;
    }
    List<String> select = new ArrayList<>();
    for (ScanPlan.ColumnSource c : projection) {
      String source = !physical.contains(c.source()) ? "NULL" : source(plan, c, physical.field(c.source()).type());
      select.add("CAST(" + source + " AS " + c.type().sqlName() + ") AS " + quote(c.name()));
    }
    return "SELECT " + String.join(", ", select) + " FROM (" + raw + ")";
  }

  /** A file column as the plan reads it: a variant as JSON, nested fields renamed, else as it is. */
  private static String source(ScanPlan.Files plan, ScanPlan.ColumnSource c, DataType inFiles) {
    String column = quote(c.source());
    if (c.fileNames().isEmpty()) {
      return column;
    }
    DataType planned = c.fileNames().get().inFiles();
    if (planned.equals(ParquetVariants.JSON)) {
      return ParquetVariants.json(column, inFiles);
    }
    return NestedRenames.sql(ParquetVariants.decodeNested(column, planned, inFiles), c.fileNames().get());
  }

  /** Whether the files already read as the planned columns: same names, order and types. */
  private static boolean isIdentity(List<ScanPlan.ColumnSource> projection, Schema physical) {
    if (projection.size() != physical.size()) {
      return false;
    }
    for (int i = 0; i < projection.size(); i++) {
      ScanPlan.ColumnSource c = projection.get(i);
      Field f = physical.fields().get(i);
      if (!c.name().equals(c.source()) || !f.name().equals(c.name()) || !f.type().equals(c.type())
          || c.fileNames().isPresent()) {
        return false;
      }
    }
    return true;
  }

  private static String read(List<Path> files, boolean rowNumbers) {
    return "SELECT * FROM read_parquet(" + SqlLiterals.filePaths(files) + ", " + READ_OPTIONS + (rowNumbers ? ", file_row_number = true" : "") + ")";
  }

  /**
   * The partitions' files with their values added (as typed constants for one partition, joined
   * by file for several), replacing any copy inside the files, and one branch per file with
   * deleted rows (filtered by row position), unioned by name.
   */
  private static String branches(ScanPlan.Files plan, List<Path> local, Session session) {
    // keyed by the values' SQL literals: binary values (byte arrays) have no value equality in Java
    Map<String, Map<String, Object>> groupValues = new LinkedHashMap<>();
    Map<String, List<Path>> groups = new LinkedHashMap<>();
    List<Integer> withDeletes = new ArrayList<>();
    for (int i = 0; i < plan.files().size(); i++) {
      ScanPlan.DataFile f = plan.files().get(i);
      if (f.deletedRows().isPresent()) {
        withDeletes.add(i);
      } else {
        String key = plan.partitionColumns().stream()
            .map(p -> SqlLiterals.typed(f.partitionValues().get(p.column()), p.type())).collect(Collectors.joining(", "));
        groupValues.putIfAbsent(key, f.partitionValues());
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(local.get(i));
      }
    }
    List<String> branches = new ArrayList<>();
    if (groups.size() > 1) {
      branches.add(joined(plan, groups, groupValues));
    } else {
      for (Map.Entry<String, List<Path>> g : groups.entrySet()) {
        branches.add(branch(plan, groupValues.get(g.getKey()), g.getValue(), null));
      }
    }
    for (int i : withDeletes) {
      ScanPlan.DataFile f = plan.files().get(i);
      List<Long> positions = new ArrayList<>();
      for (long p : f.deletedRows().get()) {
        positions.add(p);
      }
      String deleted = session.register(DataFrame.fromColumns(Schema.of(Field.required("pos", DataType.INT64)),
          List.of(positions)));
      branches.add(branch(plan, f.partitionValues(), List.of(local.get(i)), deleted));
    }
    return branches.size() == 1 ? branches.get(0)
        : branches.stream().map(b -> "(" + b + ")").collect(Collectors.joining(" UNION ALL BY NAME "));
  }

  /** The column naming each row's file in {@link #joined}: long enough never to meet a table's own column. */
  private static final String FILE_COLUMN = "__neuralake_file";

  /**
   * Files of many partitions in one read, each row given its file's partition values by a join
   * on the file's path. One branch per partition would be a union the engine binds in time
   * growing with the number of partitions (seconds at thousands), where one read of all files and
   * a join with a table of their values costs a lookup per row.
   */
  private static String joined(ScanPlan.Files plan, Map<String, List<Path>> groups, Map<String, Map<String, Object>> groupValues) {
    List<String> excluded = new ArrayList<>();
    plan.partitionColumns().forEach(p -> excluded.add(SqlLiterals.string(p.column())));
    excluded.add(SqlLiterals.string(FILE_COLUMN));
    List<Path> files = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (Map.Entry<String, List<Path>> g : groups.entrySet()) {
      for (Path file : g.getValue()) {
        files.add(file);
        // the engine names a file by its real path (glob characters unescaped)
        rows.add("(" + SqlLiterals.string(file.toString()) + ", " + g.getKey() + ")");
      }
    }
    List<String> valueColumns = new ArrayList<>(List.of(quote(FILE_COLUMN)));
    plan.partitionColumns().forEach(p -> valueColumns.add(quote(p.column())));
    StringBuilder sb = new StringBuilder("SELECT COLUMNS(lambda c: c NOT IN (").append(String.join(", ", excluded)).append("))");
    for (Partition p : plan.partitionColumns()) {
      sb.append(", v.").append(quote(p.column()));
    }
    sb.append(" FROM read_parquet(").append(SqlLiterals.filePaths(files)).append(", ").append(READ_OPTIONS)
        .append(", filename = ").append(SqlLiterals.string(FILE_COLUMN)).append(") AS f JOIN (VALUES ")
        .append(String.join(", ", rows)).append(") AS v(").append(String.join(", ", valueColumns)).append(") ON f.")
        .append(quote(FILE_COLUMN)).append(" = v.").append(quote(FILE_COLUMN));
    return sb.toString();
  }

  private static String branch(ScanPlan.Files plan, Map<String, Object> values, List<Path> files, String deletedTable) {
    List<String> excluded = new ArrayList<>();
    plan.partitionColumns().forEach(p -> excluded.add(SqlLiterals.string(p.column())));
    if (deletedTable != null) {
      excluded.add(SqlLiterals.string("file_row_number"));
    }
    StringBuilder sb = new StringBuilder("SELECT ");
    sb.append(excluded.isEmpty() ? "*" : "COLUMNS(lambda c: c NOT IN (" + String.join(", ", excluded) + "))");
    for (Partition p : plan.partitionColumns()) {
      sb.append(", ").append(SqlLiterals.typed(values.get(p.column()), p.type())).append(" AS ").append(quote(p.column()));
    }
    sb.append(" FROM (").append(read(files, deletedTable != null)).append(")");
    if (deletedTable != null) {
      sb.append(" WHERE file_row_number NOT IN (SELECT pos FROM ").append(deletedTable).append(")");
    }
    return sb.toString();
  }

  static String empty(Schema schema) {
    if (schema.size() == 0) {
      return "SELECT 1 WHERE FALSE";
    }
    return "SELECT " + schema.fields().stream()
        .map(f -> "CAST(NULL AS " + f.type().sqlName() + ") AS " + quote(f.name()))
        .collect(Collectors.joining(", ")) + " WHERE FALSE";
  }
}
