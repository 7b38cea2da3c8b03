package io.neuralake.internal.engine;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reading Parquet variants (a {@code metadata} and a {@code value} binary, optionally shredded) as
 * the engine's JSON. The engine decodes a variant group Parquet annotates as VARIANT; a group
 * written without the annotation (Spark 4.0 did not write it) reads as a struct of two binaries,
 * whose bytes the engine's {@code variant_bytes_to_variant} decodes (metadata, then value). Where
 * files of both kinds are read together, the engine turns the unannotated ones into variant
 * objects holding the two binaries: those are recognised (JSON text has no binaries) and decoded.
 * Unannotated variants inside structs, lists and maps are decoded where they are, before the
 * plan's cast.
 */
final class ParquetVariants {
  /** The engine's JSON type: a plan reading a column as this from its files reads a variant. */
  static final DataType JSON = DataType.other("JSON");
  private static final Set<String> PARTS = Set.of("metadata", "value");

  private ParquetVariants() {}

  /** SQL for the JSON of a top-level variant column {@code column}, which the files give as {@code inFiles}. */
  static String json(String column, DataType inFiles) {
    if (isBinaryPair(inFiles)) {
      return "CAST(variant_bytes_to_variant(struct_extract(" + column + ", 'metadata') || struct_extract(" + column
          + ", 'value')) AS JSON)";
    }
    if (inFiles instanceof DataType.Other o && o.sqlName().equalsIgnoreCase("VARIANT")) {
      String metadata = "variant_extract(" + column + ", 'metadata')";
      String value = "variant_extract(" + column + ", 'value')";
      return "CAST(CASE WHEN variant_typeof(" + column + ") = 'OBJECT(metadata, value)' AND variant_typeof(" + metadata
          + ") = 'BLOB' AND variant_typeof(" + value + ") = 'BLOB' THEN variant_bytes_to_variant(CAST(" + metadata
          + " AS BLOB) || CAST(" + value + " AS BLOB)) ELSE " + column + " END AS JSON)";
    }
    return "CAST(" + column + " AS JSON)";
  }

  /**
   * SQL for {@code column} with every unannotated variant the plan reads as JSON (a struct of the
   * two binaries, inside structs, lists and maps) decoded to the engine's variant, so that the
   * plan's cast to its type makes JSON of them as it does of annotated ones. {@code inPlan} is the
   * column's type as the plan reads it from the files (JSON where a variant is), {@code inFiles} as
   * the files give it; a column with no such variant is returned as it is.
   */
  static String decodeNested(String column, DataType inPlan, DataType inFiles) {
    return decode(column, inPlan, inFiles, 0);
  }

  private static String decode(String value, DataType inPlan, DataType inFiles, int depth) {
    if (inPlan.equals(JSON)) {
      return isBinaryPair(inFiles) ? "variant_bytes_to_variant(struct_extract(" + value + ", 'metadata') || struct_extract("
          + value + ", 'value'))" : value;
    }
    if (!contains(inPlan, JSON) || !hasBinaryPair(inFiles)) {
      return value;
    }
    String x = "v" + depth; // each depth its own lambda parameter
    return switch (inFiles) {
      case DataType.Struct files when inPlan instanceof DataType.Struct plan -> {
        java.util.List<String> members = new java.util.ArrayList<>();
        for (Field f : files.fields()) {
          String member = "struct_extract(" + value + ", " + io.neuralake.internal.sql.SqlLiterals.string(f.name()) + ")";
          DataType planned = plan.fields().stream().filter(p -> p.name().equals(f.name())).map(Field::type).findFirst()
              .orElse(f.type());
          members.add(io.neuralake.types.Identifiers.quote(f.name()) + " := " + decode(member, planned, f.type(), depth + 1));
        }
        yield "CASE WHEN " + value + " IS NULL THEN NULL ELSE struct_pack(" + String.join(", ", members) + ") END";
      }
      case DataType.ListType files when inPlan instanceof DataType.ListType plan ->
          "list_transform(" + value + ", lambda " + x + ": " + decode(x, plan.element(), files.element(), depth + 1) + ")";
      case DataType.MapType files when inPlan instanceof DataType.MapType plan -> "CASE WHEN " + value
          + " IS NULL THEN NULL ELSE map_from_entries(list_transform(map_entries(" + value + "), lambda " + x
          + ": struct_pack(key := " + decode("struct_extract(" + x + ", 'key')", plan.key(), files.key(), depth + 1)
          + ", value := " + decode("struct_extract(" + x + ", 'value')", plan.value(), files.value(), depth + 1)
          + "))) END";
      default -> value;
    };
  }

  private static boolean isBinaryPair(DataType type) {
    return type instanceof DataType.Struct s && s.fields().size() == 2
        && s.fields().stream().map(Field::name).collect(Collectors.toSet()).equals(PARTS)
        && s.fields().stream().allMatch(f -> f.type().equals(DataType.BINARY));
  }

  private static boolean hasBinaryPair(DataType type) {
    return isBinaryPair(type) || switch (type) {
      case DataType.Struct s -> s.fields().stream().anyMatch(f -> hasBinaryPair(f.type()));
      case DataType.ListType l -> hasBinaryPair(l.element());
      case DataType.MapType m -> hasBinaryPair(m.key()) || hasBinaryPair(m.value());
      default -> false;
    };
  }

  private static boolean contains(DataType type, DataType leaf) {
    return type.equals(leaf) || switch (type) {
      case DataType.Struct s -> s.fields().stream().anyMatch(f -> contains(f.type(), leaf));
      case DataType.ListType l -> contains(l.element(), leaf);
      case DataType.MapType m -> contains(m.key(), leaf) || contains(m.value(), leaf);
      default -> false;
    };
  }
}
