package io.neuralake.internal.arrow;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Writes Java values into Arrow vectors of the types {@link ArrowTypes#toArrow} creates. Values are
 * converted where it is lossless (an Integer into a BIGINT column); anything else is an error
 * naming the column and value.
 */
public final class VectorWriter {
  private VectorWriter() {}

  public static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      if (!v.getField().isNullable()) {
        throw new NeuralakeException(ErrorCode.NOT_NULL_VIOLATED,
            "column '" + v.getName() + "' does not allow nulls, but row " + i + " is null");
      }
      setNull(v, i);
      return;
    }
    try {
      write(v, i, value);
    } catch (ClassCastException | ArithmeticException e) {
      throw new NeuralakeException(ErrorCode.TYPE_MISMATCH,
          "column '" + v.getName() + "' of type " + ArrowTypes.toType(v.getField())
          + " cannot hold the value " + (value instanceof String s ? "'" + s + "'" : value)
          + " (" + value.getClass().getSimpleName() + ") in row " + i);
    }
  }

  private static void setNull(FieldVector v, int i) {
    switch (v) {
      case StructVector s -> s.setNull(i);
      case ListVector l -> l.setNull(i);
      default -> {
        if (v.getValueCapacity() <= i) {
          v.reAlloc();
          while (v.getValueCapacity() <= i) {
            v.reAlloc();
          }
        }
        v.setNull(i);
      }
    }
  }

  private static void write(FieldVector v, int i, Object value) {
    switch (v) {
      case BitVector b -> b.setSafe(i, ((Boolean) value) ? 1 : 0);
      case TinyIntVector t -> t.setSafe(i, (byte) range(exact(value), Byte.MIN_VALUE, Byte.MAX_VALUE));
      case SmallIntVector s -> s.setSafe(i, (short) range(exact(value), Short.MIN_VALUE, Short.MAX_VALUE));
      case IntVector n -> n.setSafe(i, Math.toIntExact(exact(value)));
      case BigIntVector n -> n.setSafe(i, exact(value));
      case UInt1Vector u -> u.setSafe(i, (int) range(exact(value), 0, 255));
      case UInt2Vector u -> u.setSafe(i, (char) range(exact(value), 0, 65535));
      case UInt4Vector u -> u.setSafe(i, (int) range(exact(value), 0, 4294967295L));
      case UInt8Vector u -> u.setSafe(i, range(exact(value), 0, Long.MAX_VALUE));
      case Float4Vector f -> f.setSafe(i, ((Number) value).floatValue());
      case Float8Vector f -> f.setSafe(i, ((Number) value).doubleValue());
      case DecimalVector d -> d.setSafe(i, decimal(value, d.getScale()));
      case VarCharVector s -> s.setSafe(i, text(value).getBytes(StandardCharsets.UTF_8));
      case VarBinaryVector b -> b.setSafe(i, (byte[]) value);
      case DateDayVector d -> d.setSafe(i, Math.toIntExact(date(value).toEpochDay()));
      case TimeMicroVector t -> t.setSafe(i, ((LocalTime) value).toNanoOfDay() / 1000L);
      case TimeStampMicroTZVector t -> t.setSafe(i, micros(instant(value)));
      case TimeStampMicroVector t -> t.setSafe(i, micros(localTimestamp(value).toInstant(ZoneOffset.UTC)));
      case MapVector m -> writeMap(m, i, (Map<?, ?>) value);
      case ListVector l -> writeList(l, i, (List<?>) value);
      case StructVector s -> writeStruct(s, i, (Map<?, ?>) value);
      default -> throw new IllegalArgumentException("cannot write into a vector of type " + v.getField().getType());
    }
  }

  private static void writeList(ListVector l, int i, List<?> values) {
    int start = l.startNewValue(i);
    FieldVector child = l.getDataVector();
    for (int k = 0; k < values.size(); k++) {
      set(child, start + k, values.get(k));
    }
    l.endValue(i, values.size());
  }

  private static void writeMap(MapVector m, int i, Map<?, ?> values) {
    int start = m.startNewValue(i);
    StructVector entries = (StructVector) m.getDataVector();
    FieldVector keys = entries.getChildrenFromFields().get(0);
    FieldVector vals = entries.getChildrenFromFields().get(1);
    int k = 0;
    for (Map.Entry<?, ?> e : values.entrySet()) {
      entries.setIndexDefined(start + k);
      set(keys, start + k, e.getKey());
      set(vals, start + k, e.getValue());
      k++;
    }
    m.endValue(i, values.size());
  }

  private static void writeStruct(StructVector s, int i, Map<?, ?> values) {
    s.setIndexDefined(i);
    for (FieldVector child : s.getChildrenFromFields()) {
      set(child, i, values.get(child.getName()));
    }
  }

  private static long exact(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal d) {
      return d.longValueExact();
    }
    if (value instanceof java.math.BigInteger b) {
      return b.longValueExact();
    }
    throw new ClassCastException();
  }

  private static long range(long v, long min, long max) {
    if (v < min || v > max) {
      throw new ArithmeticException();
    }
    return v;
  }

  private static BigDecimal decimal(Object value, int scale) {
    BigDecimal d = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    return d.setScale(scale, RoundingMode.UNNECESSARY);
  }

  private static String text(Object value) {
    if (value instanceof CharSequence || value instanceof Character) {
      return value.toString();
    }
    throw new ClassCastException();
  }

  private static LocalDate date(Object value) {
    return switch (value) {
      case LocalDate d -> d;
      case String s -> LocalDate.parse(s);
      default -> throw new ClassCastException();
    };
  }

  private static Instant instant(Object value) {
    return switch (value) {
      case Instant t -> t;
      case OffsetDateTime o -> o.toInstant();
      case ZonedDateTime z -> z.toInstant();
      case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
      default -> throw new ClassCastException();
    };
  }

  private static LocalDateTime localTimestamp(Object value) {
    return switch (value) {
      case LocalDateTime l -> l;
      case LocalDate d -> d.atStartOfDay();
      case Instant t -> LocalDateTime.ofInstant(t, ZoneOffset.UTC);
      default -> throw new ClassCastException();
    };
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}
