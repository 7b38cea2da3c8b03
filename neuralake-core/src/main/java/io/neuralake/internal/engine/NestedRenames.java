package io.neuralake.internal.engine;

import static io.neuralake.types.Identifiers.quote;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL that renames a column's nested fields from the files' names to the table's, at every depth.
 *
 * <p>The value is first cast to its type under the files' names: the engine casts structs by
 * field name, so a field a file lacks (added later) becomes null and one the table no longer has
 * (dropped) goes away. Then each struct is rebuilt with the table's names, and list elements and
 * map entries are rewritten the same way. Writers use it the other way round (table's names to
 * the files'), with the table's type as {@code inFiles} and the files' as {@code inTable}.
 */
public final class NestedRenames {
  private NestedRenames() {}

  public static String sql(String column, ScanPlan.NestedNames names) {
    return rename("CAST(" + column + " AS " + names.inFiles().sqlName() + ")", names.inFiles(), names.inTable(), 0);
  }

  private static String rename(String value, DataType inFiles, DataType inTable, int depth) {
    if (inFiles.equals(inTable) || (!nested(inFiles) && !nested(inTable))) {
      return value; // a leaf has no names to change; a type that differs (JSON for text) is the outer cast's
    }
    String x = "x" + depth; // lambda parameters shadow outer ones, so each depth has its own
    return switch (inFiles) {
      case DataType.Struct files when inTable instanceof DataType.Struct table
          && files.fields().size() == table.fields().size() -> {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < files.fields().size(); i++) {
          Field f = files.fields().get(i);
          Field t = table.fields().get(i);
          String member = "struct_extract(" + value + ", " + SqlLiterals.string(f.name()) + ")";
          members.add(quote(t.name()) + " := " + rename(member, f.type(), t.type(), depth + 1));
        }
        yield nullSafe(value, "struct_pack(" + String.join(", ", members) + ")");
      }
      case DataType.ListType files when inTable instanceof DataType.ListType table ->
          "list_transform(" + value + ", lambda " + x + ": " + rename(x, files.element(), table.element(), depth + 1) + ")";
      case DataType.MapType files when inTable instanceof DataType.MapType table -> nullSafe(value,
          "map_from_entries(list_transform(map_entries(" + value + "), lambda " + x + ": struct_pack(key := "
              + rename("struct_extract(" + x + ", 'key')", files.key(), table.key(), depth + 1) + ", value := "
              + rename("struct_extract(" + x + ", 'value')", files.value(), table.value(), depth + 1) + ")))");
      default -> throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH, "the files' type " + inFiles.sqlName()
          + " does not have the shape of the table's type " + inTable.sqlName());
    };
  }

  private static boolean nested(DataType type) {
    return type instanceof DataType.Struct || type instanceof DataType.ListType || type instanceof DataType.MapType;
  }

  /** A null struct or map stays null (rebuilding it would give one with null members). */
  private static String nullSafe(String value, String rebuilt) {
    return "CASE WHEN " + value + " IS NULL THEN NULL ELSE " + rebuilt + " END";
  }
}
