package io.neuralake.jdbc.internal;

import io.neuralake.types.DataType;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a column's values between its minimum and maximum into contiguous ranges of about equal
 * width, for parallel reads: integers by value, dates by day, timestamps by microsecond (the
 * database's resolution). Never more ranges than there are distinct values in between, so a small
 * table is not read by queries that can only return nothing.
 */
public final class RangeSplit {
  private RangeSplit() {}

  /** Whether a column of this type can be split: integers, dates and timestamps. */
  public static boolean splittable(DataType type) {
    return type.equals(DataType.INT16) || type.equals(DataType.INT32) || type.equals(DataType.INT64)
        || type.equals(DataType.DATE) || type.equals(DataType.TIMESTAMP) || type.equals(DataType.TIMESTAMP_TZ);
  }

  /**
   * The bounds between {@code ranges} ranges over [{@code min}, {@code max}], ascending and distinct,
   * as values of the column's type: range 0 is below the first bound, range k from bound k-1 up to
   * (not including) bound k, the last from the last bound up. Empty (one range) when the ends are
   * null (no row), equal, or outside what the type's arithmetic can split.
   */
  public static List<Object> bounds(DataType type, Object min, Object max, int ranges) {
    if (min == null || max == null || ranges < 2) {
      return List.of();
    }
    BigInteger lo = ordinal(type, min);
    BigInteger hi = ordinal(type, max);
    BigInteger width = hi.subtract(lo).add(BigInteger.ONE); // distinct values in [min, max]
    if (width.signum() <= 0) {
      return List.of();
    }
    int k = width.compareTo(BigInteger.valueOf(ranges)) < 0 ? width.intValueExact() : ranges;
    List<Object> out = new ArrayList<>(k - 1);
    for (int i = 1; i < k; i++) {
      BigInteger at = lo.add(width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(k)));
      Object value = value(type, at);
      if (value == null) {
        return List.of(); // beyond the type's range (an 'infinity' timestamp): read it whole
      }
      out.add(value);
    }
    return out;
  }

  private static BigInteger ordinal(DataType type, Object v) {
    if (v instanceof Number n) {
      return BigInteger.valueOf(n.longValue());
    }
    if (v instanceof LocalDate d) {
      return BigInteger.valueOf(d.toEpochDay());
    }
    Instant t = switch (v) {
      case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
      case OffsetDateTime o -> o.toInstant();
      case Instant i -> i;
      default -> throw new IllegalArgumentException("a " + type.typeName() + " range bound cannot be " + v.getClass());
    };
    return BigInteger.valueOf(t.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000))
        .add(BigInteger.valueOf(t.getNano() / 1_000));
  }

  /** The value of the type at an ordinal, or null when the type cannot hold it. */
  private static Object value(DataType type, BigInteger ordinal) {
    try {
      long n = ordinal.longValueExact();
      if (type.equals(DataType.DATE)) {
        return LocalDate.ofEpochDay(n);
      }
      if (type.equals(DataType.TIMESTAMP) || type.equals(DataType.TIMESTAMP_TZ)) {
        Instant t = Instant.EPOCH.plus(n, ChronoUnit.MICROS);
        return type.equals(DataType.TIMESTAMP) ? LocalDateTime.ofInstant(t, ZoneOffset.UTC) : t.atOffset(ZoneOffset.UTC);
      }
      return n;
    } catch (ArithmeticException | java.time.DateTimeException e) {
      return null;
    }
  }
}
