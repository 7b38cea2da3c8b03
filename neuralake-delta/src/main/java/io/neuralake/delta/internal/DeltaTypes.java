package io.neuralake.delta.internal;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.types.VariantType;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;

/** Delta's types and Neuralake's, both ways. */
public final class DeltaTypes {
  /** Where Delta column mapping keeps a column's name inside the data files. */
  public static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";
  /** Where Delta column mapping keeps a column's Parquet field id. */
  public static final String FIELD_ID = "delta.columnMapping.id";

  private DeltaTypes() {}

  /** The field's name inside the data files: its physical name under column mapping, else its name. */
  public static String physicalName(StructField field) {
    Object physical = field.getMetadata().get(PHYSICAL_NAME);
    return physical == null ? field.getName() : physical.toString();
  }

  /**
   * The engine's JSON type: what a variant is read as inside the files (the engine decodes Parquet
   * variants, shredded or not, and renders them as JSON) before the table's type makes it text.
   */
  public static final DataType VARIANT_AS_READ = DataType.other("JSON");

  /**
   * The type as the data files name its nested fields: under column mapping, struct fields at
   * every depth (in structs, array elements, map keys and values) have physical names. Variants,
   * at any depth, are read as JSON ({@link #VARIANT_AS_READ}).
   */
  public static DataType toStoredType(io.delta.kernel.types.DataType t) {
    return switch (t) {
      case ArrayType a -> DataType.list(toStoredType(a.getElementType()));
      case MapType m -> DataType.map(toStoredType(m.getKeyType()), toStoredType(m.getValueType()));
      case StructType s -> new DataType.Struct(s.fields().stream()
          .map(f -> new Field(physicalName(f), toStoredType(f.getDataType()), f.isNullable(), "")).toList());
      case VariantType v -> VARIANT_AS_READ;
      default -> toType(t);
    };
  }

  /** Whether the type is a variant or holds one (in a struct field, list element, map key or value). */
  public static boolean hasVariant(io.delta.kernel.types.DataType t) {
    return switch (t) {
      case VariantType v -> true;
      case ArrayType a -> hasVariant(a.getElementType());
      case MapType m -> hasVariant(m.getKeyType()) || hasVariant(m.getValueType());
      case StructType s -> s.fields().stream().anyMatch(f -> hasVariant(f.getDataType()));
      default -> false;
    };
  }

  /** The table's columns that are or hold variants, in table order. */
  public static List<String> variantColumns(StructType struct) {
    return struct.fields().stream().filter(f -> hasVariant(f.getDataType())).map(StructField::getName).toList();
  }

  /**
   * Refuses to change the data of a table with variant columns: Neuralake reads variants as JSON
   * text and has no way to write them back as variants, so files it wrote would hold another type
   * than the table declares.
   */
  public static void refuseVariantWrites(String table, StructType struct, String operation) {
    List<String> variants = variantColumns(struct);
    if (!variants.isEmpty()) {
      throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "table '" + table + "': cannot " + operation
          + ": column" + (variants.size() > 1 ? "s " : " ") + String.join(", ", variants) + (variants.size() > 1 ? " are" : " is")
          + " of Delta's VARIANT type, which Neuralake reads (as JSON text) but does not write; write to this table"
          + " with an engine that writes variants (Spark 4, for example)");
    }
  }

  public static Schema toSchema(StructType struct) {
    List<Field> fields = new ArrayList<>();
    for (StructField f : struct.fields()) {
      fields.add(new Field(f.getName(), toType(f.getDataType()), f.isNullable(), ""));
    }
    return new Schema(fields);
  }

  public static DataType toType(io.delta.kernel.types.DataType t) {
    return switch (t) {
      case BooleanType b -> DataType.BOOLEAN;
      case ByteType b -> DataType.INT8;
      case ShortType s -> DataType.INT16;
      case IntegerType i -> DataType.INT32;
      case LongType l -> DataType.INT64;
      case FloatType f -> DataType.FLOAT32;
      case DoubleType d -> DataType.FLOAT64;
      case StringType s -> DataType.STRING;
      case BinaryType b -> DataType.BINARY;
      case DateType d -> DataType.DATE;
      case TimestampType ts -> DataType.TIMESTAMP_TZ;
      case TimestampNTZType ts -> DataType.TIMESTAMP;
      case DecimalType d -> DataType.decimal(d.getPrecision(), d.getScale());
      case ArrayType a -> DataType.list(toType(a.getElementType()));
      case MapType m -> DataType.map(toType(m.getKeyType()), toType(m.getValueType()));
      case StructType s -> new DataType.Struct(toSchema(s).fields());
      // our types have no variant: a variant reads as its JSON text, e.g. {"key":0} (see toStoredType)
      case VariantType v -> DataType.STRING;
      default -> DataType.other(t.toString());
    };
  }

  public static StructType toStruct(Schema schema) {
    StructType out = new StructType();
    for (Field f : schema.fields()) {
      out = out.add(f.name(), toKernel(f.type()), f.nullable());
    }
    return out;
  }

  public static io.delta.kernel.types.DataType toKernel(DataType t) {
    return switch (t) {
      case DataType.Primitive p -> switch (p.kind()) {
        case BOOLEAN -> BooleanType.BOOLEAN;
        case INT8 -> ByteType.BYTE;
        case INT16 -> ShortType.SHORT;
        case INT32 -> IntegerType.INTEGER;
        case INT64 -> LongType.LONG;
        case FLOAT32 -> FloatType.FLOAT;
        case FLOAT64 -> DoubleType.DOUBLE;
        case STRING -> StringType.STRING;
        case BINARY -> BinaryType.BINARY;
        case DATE -> DateType.DATE;
        case TIMESTAMP -> TimestampNTZType.TIMESTAMP_NTZ;
        case TIMESTAMP_TZ -> TimestampType.TIMESTAMP;
        default -> throw new NeuralakeException(ErrorCode.NOT_SUPPORTED,
            "Delta tables have no unsigned types; use a signed one instead of " + p);
      };
      case DataType.Decimal d -> new DecimalType(d.precision(), d.scale());
      case DataType.ListType l -> new ArrayType(toKernel(l.element()), true);
      case DataType.MapType m -> new MapType(toKernel(m.key()), toKernel(m.value()), true);
      case DataType.Struct s -> toStruct(new Schema(s.fields()));
      case DataType.Other o -> throw new NeuralakeException(ErrorCode.NOT_SUPPORTED,
          "no Delta type for " + o.sqlName());
    };
  }

  /**
   * Whether a column of type {@code from} can be read as {@code to} without losing values:
   * equal types, or the widenings Delta allows (integers to wider integers, floats to double,
   * integers to decimal/double, date to timestamp).
   */
  public static boolean canRead(DataType from, DataType to) {
    return io.neuralake.spi.ReadableTypes.canRead(from, to);
  }
}
