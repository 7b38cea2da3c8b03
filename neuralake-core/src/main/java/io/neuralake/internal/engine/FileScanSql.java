package io.neuralake.internal.engine;

import static io.neuralake.types.Identifiers.quote;

import io.neuralake.frame.DataFrame;
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

  public static String build(ScanPlan.Files plan, Session session) {
    String sql = columns(plan, session);
    if (!plan.extraColumns().isEmpty()) {
      sql = "SELECT *, " + String.join(", ", plan.extraColumns()) + " FROM (" + sql + ")";
    }
    if (!plan.uniqueColumns().isEmpty()) {
      sql = "SELECT DISTINCT ON (" + plan.uniqueColumns().stream().map(c -> quote(c)).collect(Collectors.joining(", "))
          + ") * FROM (" + sql + ")";
    }
    return sql;
  }

  /** The table's columns, from the files. */
  private static String columns(ScanPlan.Files plan, Session session) {
    if (plan.files().isEmpty()) {
      Schema schema = plan.schema().orElseThrow(() -> new IllegalStateException("an empty scan needs a schema"));
      return empty(schema);
    }
    boolean simple = plan.partitionColumns().isEmpty()
        && plan.files().stream().allMatch(f -> f.deletedRows().isEmpty());
    String raw = simple ? read(plan.files().stream().map(ScanPlan.DataFile::path).toList(), false) : branches(plan, session);
    List<ScanPlan.ColumnSource> projection = plan.projection().orElseGet(() -> declaredProjection(plan));
    if (projection.isEmpty()) {
      return raw;
    }
    Schema physical = session.describe(raw);
    List<String> select = new ArrayList<>();
    for (ScanPlan.ColumnSource c : projection) {
      String source = !physical.contains(c.source()) ? "NULL"
          : c.fileNames().map(n -> NestedRenames.sql(quote(c.source()), n)).orElse(quote(c.source()));
      select.add("CAST(" + source + " AS " + c.type().sqlName() + ") AS " + quote(c.name()));
    }
    return "SELECT " + String.join(", ", select) + " FROM (" + raw + ")";
  }

  /** A declared schema: its columns by name, then partition columns it does not list. */
  private static List<ScanPlan.ColumnSource> declaredProjection(ScanPlan.Files plan) {
    List<ScanPlan.ColumnSource> out = new ArrayList<>();
    plan.schema().ifPresent(declared -> {
      declared.fields().forEach(f -> out.add(new ScanPlan.ColumnSource(f.name(), f.name(), f.type())));
      for (Partition p : plan.partitionColumns()) {
        if (!declared.contains(p.column())) {
          out.add(new ScanPlan.ColumnSource(p.column(), p.column(), p.type()));
        }
      }
    });
    return out;
  }

  private static String read(List<Path> files, boolean rowNumbers) {
    return "SELECT * FROM read_parquet(" + SqlLiterals.filePaths(files) + ", " + READ_OPTIONS + (rowNumbers ? ", file_row_number = true" : "") + ")";
  }

  /**
   * One branch per partition (its values added as typed constants, replacing any copy inside
   * the files) and one per file with deleted rows (filtered by row position), unioned by name.
   */
  private static String branches(ScanPlan.Files plan, Session session) {
    Map<Map<String, Object>, List<Path>> groups = new LinkedHashMap<>();
    List<ScanPlan.DataFile> withDeletes = new ArrayList<>();
    for (ScanPlan.DataFile f : plan.files()) {
      if (f.deletedRows().isPresent()) {
        withDeletes.add(f);
      } else {
        groups.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f.path());
      }
    }
    List<String> branches = new ArrayList<>();
    for (Map.Entry<Map<String, Object>, List<Path>> g : groups.entrySet()) {
      branches.add(branch(plan, g.getKey(), g.getValue(), null));
    }
    for (ScanPlan.DataFile f : withDeletes) {
      List<Long> positions = new ArrayList<>();
      for (long p : f.deletedRows().get()) {
        positions.add(p);
      }
      String deleted = session.register(DataFrame.fromColumns(Schema.of(Field.required("pos", DataType.INT64)),
          List.of(positions)));
      branches.add(branch(plan, f.partitionValues(), List.of(f.path()), deleted));
    }
    return branches.size() == 1 ? branches.get(0)
        : branches.stream().map(b -> "(" + b + ")").collect(Collectors.joining(" UNION ALL BY NAME "));
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
