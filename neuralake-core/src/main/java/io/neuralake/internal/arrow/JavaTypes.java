package io.neuralake.internal.arrow;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Infers a column type from Java values (for frames built from lists, maps and records). */
public final class JavaTypes {
  private JavaTypes() {}

  /** Stands for "no value seen yet" (nulls, empty lists) until other values decide the type. */
  private static final DataType UNKNOWN = DataType.other("NULL");

  /** The narrowest type that holds every non-null value; string when there are none. */
  public static DataType infer(String column, Collection<?> values) {
    return resolve(inferOrUnknown(column, values));
  }

  private static DataType inferOrUnknown(String column, Collection<?> values) {
    DataType found = UNKNOWN;
    for (Object v : values) {
      if (v != null) {
        found = unify(column, found, of(column, v));
      }
    }
    return found;
  }

  private static DataType resolve(DataType t) {
    return switch (t) {
      case DataType.Other o when o.equals(UNKNOWN) -> DataType.STRING;
      case DataType.ListType l -> DataType.list(resolve(l.element()));
      case DataType.Struct s -> new DataType.Struct(s.fields().stream().map(f -> Field.of(f.name(), resolve(f.type()))).toList());
      default -> t;
    };
  }

  /** The type of a Java class, for record components. */
  public static DataType ofClass(String column, Class<?> c) {
    if (c == long.class || c == Long.class) {
      return DataType.INT64;
    }
    if (c == int.class || c == Integer.class) {
      return DataType.INT32;
    }
    if (c == short.class || c == Short.class) {
      return DataType.INT16;
    }
    if (c == byte.class || c == Byte.class) {
      return DataType.INT8;
    }
    if (c == double.class || c == Double.class) {
      return DataType.FLOAT64;
    }
    if (c == float.class || c == Float.class) {
      return DataType.FLOAT32;
    }
    if (c == boolean.class || c == Boolean.class) {
      return DataType.BOOLEAN;
    }
    if (CharSequence.class.isAssignableFrom(c) || c == char.class || c == Character.class) {
      return DataType.STRING;
    }
    if (c == LocalDate.class) {
      return DataType.DATE;
    }
    if (c == LocalTime.class) {
      return DataType.TIME;
    }
    if (c == LocalDateTime.class) {
      return DataType.TIMESTAMP;
    }
    if (c == Instant.class || c == OffsetDateTime.class || c == ZonedDateTime.class) {
      return DataType.TIMESTAMP_TZ;
    }
    if (c == byte[].class) {
      return DataType.BINARY;
    }
    if (c == BigDecimal.class) {
      return DataType.decimal(38, 9);
    }
    if (c == BigInteger.class) {
      return DataType.decimal(38, 0);
    }
    throw new NeuralakeException(ErrorCode.TYPE_MISMATCH, "column '" + column + "' has Java type " + c.getName()
        + ", which has no column type; use numbers, strings, booleans, dates, times, BigDecimal or byte[]");
  }

  private static DataType of(String column, Object v) {
    if (v instanceof BigDecimal d) {
      int scale = Math.max(0, d.scale());
      return DataType.decimal(Math.max(Math.min(38, d.precision() - d.scale() + scale), scale == 0 ? 1 : scale), scale);
    }
    if (v instanceof List<?> l) {
      return DataType.list(inferOrUnknown(column, l));
    }
    if (v instanceof Map<?, ?> m) {
      List<Field> fields = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        fields.add(Field.of(String.valueOf(e.getKey()),
            inferOrUnknown(column + "." + e.getKey(), java.util.Collections.singletonList(e.getValue()))));
      }
      return new DataType.Struct(fields);
    }
    return ofClass(column, v.getClass());
  }

  private static DataType unify(String column, DataType a, DataType b) {
    if (a.equals(b) || b.equals(UNKNOWN)) {
      return a;
    }
    if (a.equals(UNKNOWN)) {
      return b;
    }
    if (a.isInteger() && b.isInteger()) {
      return DataType.INT64;
    }
    if (a.isNumeric() && b.isNumeric()) {
      if (a instanceof DataType.Decimal x && b instanceof DataType.Decimal y) {
        int scale = Math.max(x.scale(), y.scale());
        int whole = Math.max(x.precision() - x.scale(), y.precision() - y.scale());
        return DataType.decimal(Math.min(38, whole + scale), scale);
      }
      return DataType.FLOAT64;
    }
    if (a instanceof DataType.ListType x && b instanceof DataType.ListType y) {
      return DataType.list(unify(column, x.element(), y.element()));
    }
    throw new NeuralakeException(ErrorCode.TYPE_MISMATCH,
        "column '" + column + "' mixes values of types " + a + " and " + b
        + "; a column holds one type");
  }
}
