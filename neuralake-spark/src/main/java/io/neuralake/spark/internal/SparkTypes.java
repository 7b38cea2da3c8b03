package io.neuralake.spark.internal;

import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Neuralake's column types as Spark's. Spark reads the engine's Arrow vectors as they are (its own
 * ArrowColumnVector), so each type maps to the Spark type of the vector the engine produces; types
 * Spark has no vector reader for (unsigned integers, TIME, engine-only types) are cast by the engine
 * first to the nearest type it can read ({@link #readable}).
 */
public final class SparkTypes {
  private SparkTypes() {}

  /** The Spark schema of a table's columns, with column descriptions as comments. */
  public static StructType schema(Schema schema) {
    List<StructField> fields = new ArrayList<>();
    for (Field f : schema.fields()) {
      Metadata meta = f.description().isBlank() ? Metadata.empty()
          : new MetadataBuilder().putString("comment", f.description()).build();
      fields.add(new StructField(f.name(), type(f.type()), f.nullable(), meta));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** The Spark type of a column's values. */
  public static org.apache.spark.sql.types.DataType type(DataType type) {
    return switch (readable(type)) {
      case DataType.Primitive p -> switch (p.kind()) {
        case BOOLEAN -> DataTypes.BooleanType;
        case INT8 -> DataTypes.ByteType;
        case INT16 -> DataTypes.ShortType;
        case INT32 -> DataTypes.IntegerType;
        case INT64 -> DataTypes.LongType;
        case FLOAT32 -> DataTypes.FloatType;
        case FLOAT64 -> DataTypes.DoubleType;
        case STRING -> DataTypes.StringType;
        case BINARY -> DataTypes.BinaryType;
        case DATE -> DataTypes.DateType;
        case TIMESTAMP -> DataTypes.TimestampNTZType;
        case TIMESTAMP_TZ -> DataTypes.TimestampType;
        default -> throw new IllegalStateException("not a readable type: " + p);
      };
      case DataType.Decimal d -> DataTypes.createDecimalType(d.precision(), d.scale());
      case DataType.ListType l -> DataTypes.createArrayType(type(l.element()), true);
      case DataType.MapType m -> DataTypes.createMapType(type(m.key()), type(m.value()), true);
      case DataType.Struct s -> schema(new Schema(s.fields()));
      case DataType.Other o -> throw new IllegalStateException("not a readable type: " + o);
    };
  }

  /**
   * The type the engine hands Spark a column of {@code type} as: the type itself when Spark reads
   * its Arrow vectors, else the nearest one it reads (unsigned integers widened, times and
   * engine-only types as text), nested types field by field.
   */
  public static DataType readable(DataType type) {
    return switch (type) {
      case DataType.Primitive p -> switch (p.kind()) {
        case UINT8 -> DataType.INT16;
        case UINT16 -> DataType.INT32;
        case UINT32 -> DataType.INT64;
        case UINT64 -> DataType.decimal(20, 0);
        case TIME -> DataType.STRING;
        default -> p;
      };
      case DataType.Decimal d -> d;
      case DataType.ListType l -> DataType.list(readable(l.element()));
      case DataType.MapType m -> DataType.map(readable(m.key()), readable(m.value()));
      case DataType.Struct s -> new DataType.Struct(s.fields().stream()
          .map(f -> new Field(f.name(), readable(f.type()), f.nullable(), f.description())).toList());
      case DataType.Other o -> DataType.STRING;
    };
  }
}
