package io.neuralake.internal.engine;

import static io.neuralake.types.Identifiers.quote;

import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.table.Partition;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SQL that reads a planned list of Parquet files. Files are read by column name (missing columns
 * are null); partition values, which live in paths, are added as typed constants per partition,
 * replacing any copy of the column inside the files.
 */
final class FileScanSql {
  private FileScanSql() {}

  static String build(ScanPlan.Files plan, Session session) {
    if (plan.files().isEmpty()) {
      Schema schema = plan.schema().orElseThrow(() -> new IllegalStateException("an empty scan needs a schema"));
      return empty(schema);
    }
    String raw = plan.partitionColumns().isEmpty()
        ? read(plan.files().stream().map(ScanPlan.DataFile::path).toList())
        : partitioned(plan);
    Optional<Schema> declared = plan.schema();
    if (declared.isEmpty()) {
      return raw;
    }
    Schema physical = session.describe(raw);
    List<String> select = new ArrayList<>();
    for (Field f : declared.get().fields()) {
      String source = physical.contains(f.name()) ? quote(f.name()) : "NULL";
      select.add("CAST(" + source + " AS " + f.type().sqlName() + ") AS " + quote(f.name()));
    }
    for (Partition p : plan.partitionColumns()) {
      if (!declared.get().contains(p.column())) {
        select.add(quote(p.column()));
      }
    }
    return "SELECT " + String.join(", ", select) + " FROM (" + raw + ")";
  }

  private static String read(List<Path> files) {
    String list = files.stream().map(p -> SqlLiterals.string(p.toString())).collect(Collectors.joining(", ", "[", "]"));
    return "SELECT * FROM read_parquet(" + list + ", union_by_name = true)";
  }

  private static String partitioned(ScanPlan.Files plan) {
    Map<Map<String, Object>, List<Path>> groups = new LinkedHashMap<>();
    for (ScanPlan.DataFile f : plan.files()) {
      groups.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f.path());
    }
    String excluded = plan.partitionColumns().stream().map(p -> SqlLiterals.string(p.column()))
        .collect(Collectors.joining(", "));
    List<String> branches = new ArrayList<>();
    for (Map.Entry<Map<String, Object>, List<Path>> g : groups.entrySet()) {
      StringBuilder sb = new StringBuilder("SELECT COLUMNS(lambda c: c NOT IN (").append(excluded).append("))");
      for (Partition p : plan.partitionColumns()) {
        sb.append(", ").append(SqlLiterals.typed(g.getKey().get(p.column()), p.type())).append(" AS ").append(quote(p.column()));
      }
      String list = g.getValue().stream().map(p -> SqlLiterals.string(p.toString())).collect(Collectors.joining(", ", "[", "]"));
      sb.append(" FROM read_parquet(").append(list).append(", union_by_name = true)");
      branches.add(sb.toString());
    }
    return branches.size() == 1 ? branches.get(0)
        : branches.stream().map(b -> "(" + b + ")").collect(Collectors.joining(" UNION ALL BY NAME "));
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
