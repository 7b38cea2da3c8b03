package io.neuralake.internal.arrow;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Conversions between Neuralake types and Arrow's. */
public final class ArrowTypes {
  private ArrowTypes() {}

  public static Schema toSchema(org.apache.arrow.vector.types.pojo.Schema arrow) {
    List<Field> fields = new ArrayList<>();
    for (org.apache.arrow.vector.types.pojo.Field f : arrow.getFields()) {
      fields.add(toField(f));
    }
    return new Schema(fields);
  }

  public static Field toField(org.apache.arrow.vector.types.pojo.Field f) {
    return new Field(f.getName(), toType(f), f.isNullable(), "");
  }

  public static DataType toType(org.apache.arrow.vector.types.pojo.Field f) {
    ArrowType t = f.getType();
    return switch (t) {
      case ArrowType.Bool b -> DataType.BOOLEAN;
      case ArrowType.Int i -> switch (i.getBitWidth()) {
        case 8 -> i.getIsSigned() ? DataType.INT8 : DataType.UINT8;
        case 16 -> i.getIsSigned() ? DataType.INT16 : DataType.UINT16;
        case 32 -> i.getIsSigned() ? DataType.INT32 : DataType.UINT32;
        default -> i.getIsSigned() ? DataType.INT64 : DataType.UINT64;
      };
      case ArrowType.FloatingPoint fp -> fp.getPrecision() == FloatingPointPrecision.DOUBLE ? DataType.FLOAT64 : DataType.FLOAT32;
      case ArrowType.Utf8 u -> DataType.STRING;
      case ArrowType.LargeUtf8 u -> DataType.STRING;
      case ArrowType.Utf8View u -> DataType.STRING;
      case ArrowType.Binary b -> DataType.BINARY;
      case ArrowType.LargeBinary b -> DataType.BINARY;
      case ArrowType.FixedSizeBinary b -> DataType.BINARY;
      case ArrowType.BinaryView b -> DataType.BINARY;
      case ArrowType.Date d -> DataType.DATE;
      case ArrowType.Time tm -> DataType.TIME;
      case ArrowType.Timestamp ts -> ts.getTimezone() == null ? DataType.TIMESTAMP : DataType.TIMESTAMP_TZ;
      case ArrowType.Decimal d -> DataType.decimal(Math.min(d.getPrecision(), 38), d.getScale());
      case ArrowType.List l -> DataType.list(toType(f.getChildren().get(0)));
      case ArrowType.LargeList l -> DataType.list(toType(f.getChildren().get(0)));
      case ArrowType.FixedSizeList l -> DataType.list(toType(f.getChildren().get(0)));
      case ArrowType.Struct s -> new DataType.Struct(f.getChildren().stream().map(ArrowTypes::toField).toList());
      case ArrowType.Map m -> {
        var entries = f.getChildren().get(0).getChildren();
        yield DataType.map(toType(entries.get(0)), toType(entries.get(1)));
      }
      default -> DataType.other(t.toString());
    };
  }

  public static org.apache.arrow.vector.types.pojo.Schema toArrow(Schema schema) {
    List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
    for (Field f : schema.fields()) {
      fields.add(toArrow(f.name(), f.type(), f.nullable()));
    }
    return new org.apache.arrow.vector.types.pojo.Schema(fields);
  }

  public static org.apache.arrow.vector.types.pojo.Field toArrow(String name, DataType type, boolean nullable) {
    List<org.apache.arrow.vector.types.pojo.Field> children = new ArrayList<>();
    ArrowType arrow = switch (type) {
      case DataType.Primitive p -> switch (p.kind()) {
        case BOOLEAN -> ArrowType.Bool.INSTANCE;
        case INT8 -> new ArrowType.Int(8, true);
        case INT16 -> new ArrowType.Int(16, true);
        case INT32 -> new ArrowType.Int(32, true);
        case INT64 -> new ArrowType.Int(64, true);
        case UINT8 -> new ArrowType.Int(8, false);
        case UINT16 -> new ArrowType.Int(16, false);
        case UINT32 -> new ArrowType.Int(32, false);
        case UINT64 -> new ArrowType.Int(64, false);
        case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case STRING -> ArrowType.Utf8.INSTANCE;
        case BINARY -> ArrowType.Binary.INSTANCE;
        case DATE -> new ArrowType.Date(DateUnit.DAY);
        case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
        case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
        case TIMESTAMP_TZ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      };
      case DataType.Decimal d -> new ArrowType.Decimal(d.precision(), d.scale(), 128);
      case DataType.ListType l -> {
        children.add(toArrow("item", l.element(), true));
        yield ArrowType.List.INSTANCE;
      }
      case DataType.Struct s -> {
        for (Field f : s.fields()) {
          children.add(toArrow(f.name(), f.type(), f.nullable()));
        }
        yield ArrowType.Struct.INSTANCE;
      }
      case DataType.MapType m -> {
        List<org.apache.arrow.vector.types.pojo.Field> kv = List.of(
            toArrow("key", m.key(), false), toArrow("value", m.value(), true));
        children.add(new org.apache.arrow.vector.types.pojo.Field("entries",
            new FieldType(false, ArrowType.Struct.INSTANCE, null), kv));
        yield new ArrowType.Map(false);
      }
      case DataType.Other o -> throw new NeuralakeException(ErrorCode.NOT_SUPPORTED,
          "column '" + name + "' has the engine type " + o.sqlName() + ", which cannot be built from Java values");
    };
    return new org.apache.arrow.vector.types.pojo.Field(name, new FieldType(nullable, arrow, null), children);
  }
}
