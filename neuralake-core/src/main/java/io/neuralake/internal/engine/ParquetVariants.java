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
   * Refuses a column holding variants inside structs, lists or maps that the files give without
   * their annotation: only top-level ones are decoded.
   */
  static void refuseUnannotatedNested(String location, String name, DataType inPlan, DataType inFiles) {
    if (contains(inPlan, JSON) && hasBinaryPair(inFiles)) {
      throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "the table at " + location + ": column '" + name
          + "' holds variants inside structs, lists or maps that its files store without Parquet's VARIANT"
          + " annotation (as Spark 4.0 wrote them); only top-level variant columns are read from such files:"
          + " rewrite the table with Spark 4.1 or later, which annotates them");
    }
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
