package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Values of Arrow vectors written as PostgreSQL sends them: the text format (what psql shows) or
 * the binary format of the column's {@link PgType}. Times are in UTC, the session's time zone.
 */
final class PgValues {
  private static final LocalDate PG_EPOCH = LocalDate.of(2000, 1, 1);
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).toFormatter();
  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
      .appendPattern("HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).toFormatter();

  private PgValues() {}

  /**
   * The value at {@code row} as a Java value: Boolean, Long, Double, BigDecimal, String, byte[],
   * LocalDate, LocalTime, LocalDateTime, Instant, or another object shown by its text; null for NULL.
   */
  static Object read(FieldVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    return switch (v) {
      case BitVector b -> b.get(row) != 0;
      case TinyIntVector t -> (long) t.get(row);
      case SmallIntVector s -> (long) s.get(row);
      case IntVector i -> (long) i.get(row);
      case BigIntVector b -> b.get(row);
      case UInt1Vector u -> (long) Byte.toUnsignedInt(u.get(row));
      case UInt2Vector u -> (long) u.get(row);
      case UInt4Vector u -> Integer.toUnsignedLong(u.get(row));
      case UInt8Vector u -> new BigDecimal(new BigInteger(Long.toUnsignedString(u.get(row))));
      case Float4Vector f -> (double) f.get(row);
      case Float8Vector f -> f.get(row);
      case DateDayVector d -> LocalDate.ofEpochDay(d.get(row));
      case DateMilliVector d -> LocalDate.ofEpochDay(Math.floorDiv(d.get(row), 86_400_000L));
      case TimeSecVector t -> LocalTime.ofSecondOfDay(t.get(row));
      case TimeMilliVector t -> LocalTime.ofNanoOfDay(t.get(row) * 1_000_000L);
      case TimeMicroVector t -> LocalTime.ofNanoOfDay(t.get(row) * 1_000L);
      case TimeNanoVector t -> LocalTime.ofNanoOfDay(t.get(row));
      case TimeStampVector t -> timestamp(t, row);
      default -> other(v.getObject(row));
    };
  }

  private static Object timestamp(TimeStampVector t, int row) {
    ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
    long raw = t.get(row);
    Instant at = switch (type.getUnit()) {
      case SECOND -> Instant.ofEpochSecond(raw);
      case MILLISECOND -> Instant.ofEpochMilli(raw);
      case MICROSECOND -> Instant.EPOCH.plus(raw, ChronoUnit.MICROS);
      case NANOSECOND -> Instant.EPOCH.plusNanos(raw);
    };
    return type.getTimezone() == null ? LocalDateTime.ofInstant(at, ZoneOffset.UTC) : at;
  }

  private static Object other(Object o) {
    return switch (o) {
      case BigDecimal d -> d;
      case byte[] b -> b;
      case LocalDateTime t -> t;
      default -> o.toString(); // text (Arrow's Text), lists and structs as JSON
    };
  }

  /** The text format. */
  static String text(Object value) {
    return switch (value) {
      case Boolean b -> b ? "t" : "f";
      case Double d -> floatText(d);
      case BigDecimal d -> d.toPlainString();
      case byte[] b -> hex(b);
      case LocalDateTime t -> TIMESTAMP.format(t);
      case Instant i -> TIMESTAMP.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC)) + "+00";
      case LocalTime t -> TIME.format(t);
      default -> value.toString();
    };
  }

  /** A float as PostgreSQL prints it: shortest round-trip digits, {@code NaN}, {@code Infinity}. */
  static String floatText(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
    }
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String exp = s.substring(e + 1);
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    return mantissa + "e" + (exp.startsWith("-") ? "-" + pad2(exp.substring(1)) : "+" + pad2(exp));
  }

  private static String pad2(String digits) {
    return digits.length() < 2 ? "0" + digits : digits;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(2 + b.length * 2).append("\\x");
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  /** The binary format of {@code type}. */
  static byte[] binary(Object value, PgType type) {
    return switch (type) {
      case BOOL -> new byte[] {(byte) (Boolean.TRUE.equals(value) ? 1 : 0)};
      case INT2 -> ByteBuffer.allocate(2).putShort((short) ((Number) value).longValue()).array();
      case INT4, OID -> ByteBuffer.allocate(4).putInt((int) ((Number) value).longValue()).array();
      case INT8 -> ByteBuffer.allocate(8).putLong(((Number) value).longValue()).array();
      case FLOAT4 -> ByteBuffer.allocate(4).putFloat(((Number) value).floatValue()).array();
      case FLOAT8 -> ByteBuffer.allocate(8).putDouble(((Number) value).doubleValue()).array();
      case NUMERIC -> PgNumeric.binary(value instanceof BigDecimal d ? d : new BigDecimal(value.toString()));
      case BYTEA -> value instanceof byte[] b ? b : text(value).getBytes(UTF_8);
      case DATE -> ByteBuffer.allocate(4).putInt((int) ChronoUnit.DAYS.between(PG_EPOCH, (LocalDate) value)).array();
      case TIME -> ByteBuffer.allocate(8).putLong(((LocalTime) value).toNanoOfDay() / 1000).array();
      case TIMESTAMP -> ByteBuffer.allocate(8).putLong(ChronoUnit.MICROS.between(PG_EPOCH.atStartOfDay(),
          (LocalDateTime) value)).array();
      case TIMESTAMPTZ -> ByteBuffer.allocate(8).putLong(ChronoUnit.MICROS.between(
          PG_EPOCH.atStartOfDay().toInstant(ZoneOffset.UTC), (Instant) value)).array();
      default -> text(value).getBytes(UTF_8);
    };
  }

  static LocalDate pgEpoch() {
    return PG_EPOCH;
  }

}
