package io.neuralake.jdbc.internal;

import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
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
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * PostgreSQL's binary send format of the types we decode ourselves, written straight into the
 * engine's Arrow vectors (microsecond timestamps in UTC, days since 1970, 128-bit decimals). The
 * types are chosen by PostgreSQL's type name, and only those whose binary form is fixed and
 * documented; anything else (arrays, enums, domains, extension types) has no decoder, and its table
 * is read by the cursor instead.
 */
final class PgBinaryColumns {
  /** PostgreSQL counts dates and timestamps from 2000-01-01; Arrow from 1970-01-01. */
  private static final int EPOCH_DAYS = 10_957;
  private static final long EPOCH_MICROS = EPOCH_DAYS * 86_400_000_000L;
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final long[] TENS = new long[19];

  static {
    TENS[0] = 1;
    for (int i = 1; i < TENS.length; i++) {
      TENS[i] = TENS[i - 1] * 10;
    }
  }

  private PgBinaryColumns() {}

  /** Writes one non-null value of {@code length} bytes at {@code row}. */
  interface Decoder {
    void read(CopyInput in, FieldVector vector, int row, int length) throws SQLException;
  }

  /** The decoder of a column, or null when its type is read by the cursor instead. */
  static Decoder decoder(RemoteColumn column) {
    DataType type = column.type();
    return switch (column.remoteType()) {
      case "int2" -> type.equals(DataType.INT16) ? (in, v, r, n) -> ((SmallIntVector) v).set(r, in.readShort()) : null;
      case "int4" -> type.equals(DataType.INT32) ? (in, v, r, n) -> ((IntVector) v).set(r, in.readInt()) : null;
      case "int8" -> type.equals(DataType.INT64) ? (in, v, r, n) -> ((BigIntVector) v).set(r, in.readLong()) : null;
      case "float4" -> type.equals(DataType.FLOAT32)
          ? (in, v, r, n) -> ((Float4Vector) v).set(r, Float.intBitsToFloat(in.readInt())) : null;
      case "float8" -> type.equals(DataType.FLOAT64)
          ? (in, v, r, n) -> ((Float8Vector) v).set(r, Double.longBitsToDouble(in.readLong())) : null;
      case "bool" -> type.equals(DataType.BOOLEAN) ? (in, v, r, n) -> ((BitVector) v).set(r, in.readByte() != 0 ? 1 : 0)
          : null;
      // their binary form is their text in the client encoding, which the driver sets to UTF-8
      case "text", "varchar", "bpchar", "name", "json" -> type.equals(DataType.STRING) ? PgBinaryColumns::text : null;
      case "jsonb" -> type.equals(DataType.STRING) ? PgBinaryColumns::jsonb : null;
      case "uuid" -> type.equals(DataType.STRING) ? PgBinaryColumns::uuid : null;
      case "bytea" -> type.equals(DataType.BINARY) ? PgBinaryColumns::bytes : null;
      case "date" -> type.equals(DataType.DATE) ? (in, v, r, n) -> ((DateDayVector) v).set(r, date(in, column)) : null;
      case "time" -> type.equals(DataType.TIME) ? (in, v, r, n) -> ((TimeMicroVector) v).set(r, in.readLong()) : null;
      case "timestamp" -> type.equals(DataType.TIMESTAMP) ? (in, v, r, n) -> timestamp(in, (TimeStampVector) v, r, column)
          : null;
      case "timestamptz" -> type.equals(DataType.TIMESTAMP_TZ)
          ? (in, v, r, n) -> timestamp(in, (TimeStampVector) v, r, column) : null;
      case "numeric" -> type instanceof DataType.Decimal d ? (in, v, r, n) -> numeric(in, (DecimalVector) v, r, d, column)
          : null;
      default -> null;
    };
  }

  private static void text(CopyInput in, FieldVector v, int row, int length) throws SQLException {
    in.need(length);
    ((VarCharVector) v).setSafe(row, in.array(), in.position(), length);
    in.skip(length);
  }

  private static void bytes(CopyInput in, FieldVector v, int row, int length) throws SQLException {
    in.need(length);
    ((VarBinaryVector) v).setSafe(row, in.array(), in.position(), length);
    in.skip(length);
  }

  /** jsonb: a format version (1), then the document's text. */
  private static void jsonb(CopyInput in, FieldVector v, int row, int length) throws SQLException {
    byte version = in.readByte();
    if (version != 1) {
      throw new SQLException("unknown jsonb binary format version " + version);
    }
    text(in, v, row, length - 1);
  }

  /** uuid: 16 bytes, written as PostgreSQL prints it (lower-case hex, 8-4-4-4-12). */
  private static void uuid(CopyInput in, FieldVector v, int row, int length) throws SQLException {
    in.need(16);
    byte[] src = in.array();
    int p = in.position();
    byte[] out = new byte[36];
    int o = 0;
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        out[o++] = '-';
      }
      out[o++] = HEX[(src[p + i] >> 4) & 0xf];
      out[o++] = HEX[src[p + i] & 0xf];
    }
    in.skip(16);
    ((VarCharVector) v).setSafe(row, out, 0, 36);
  }

  private static int date(CopyInput in, RemoteColumn column) throws SQLException {
    int days = in.readInt();
    if (days == Integer.MAX_VALUE || days == Integer.MIN_VALUE) {
      throw infinite(column);
    }
    return days + EPOCH_DAYS;
  }

  private static void timestamp(CopyInput in, TimeStampVector v, int row, RemoteColumn column) throws SQLException {
    long micros = in.readLong();
    if (micros == Long.MAX_VALUE || micros == Long.MIN_VALUE) {
      throw infinite(column);
    }
    v.set(row, micros + EPOCH_MICROS);
  }

  private static SQLException infinite(RemoteColumn column) {
    return new SQLException("column '" + column.name() + "' holds an infinite " + column.remoteType()
        + ", which the engine cannot represent; filter it out or cast it in a .sql(...) query");
  }

  /**
   * numeric: digit count, weight (of the first digit, in powers of 10,000), sign, display scale,
   * then base-10,000 digits. Written exactly at the column's scale; a value with more fractional
   * digits than that (never, for a typed column) is an error rather than rounded.
   */
  private static void numeric(CopyInput in, DecimalVector v, int row, DataType.Decimal type, RemoteColumn column)
      throws SQLException {
    int ndigits = in.readShort();
    int weight = in.readShort();
    int sign = in.readShort() & 0xffff;
    in.readShort(); // display scale: the column's scale decides ours
    if (sign != 0x0000 && sign != 0x4000) {
      for (int i = 0; i < ndigits; i++) {
        in.readShort();
      }
      throw new SQLException("column '" + column.name() + "' holds " + (sign == 0xC000 ? "NaN" : "an infinite numeric")
          + ", which a decimal cannot represent; filter it out or cast it in a .sql(...) query");
    }
    // the digits as one integer, then moved to the column's scale
    int exponent = 4 * (weight - ndigits + 1) + type.scale();
    long small = 0;
    BigInteger big = null;
    for (int i = 0; i < ndigits; i++) {
      int digit = in.readShort();
      if (big == null && small < 100_000_000_000_000L) {
        small = small * 10_000 + digit;
      } else {
        big = (big == null ? BigInteger.valueOf(small) : big).multiply(BigInteger.valueOf(10_000))
            .add(BigInteger.valueOf(digit));
      }
    }
    if (big == null && exponent >= 0 && exponent < TENS.length && small <= Long.MAX_VALUE / TENS[exponent]) {
      long unscaled = small * TENS[exponent];
      v.set(row, sign == 0x4000 ? -unscaled : unscaled);
      return;
    }
    if (big == null && exponent < 0 && -exponent < TENS.length && small % TENS[-exponent] == 0) {
      long unscaled = small / TENS[-exponent];
      v.set(row, sign == 0x4000 ? -unscaled : unscaled);
      return;
    }
    BigInteger unscaled = big == null ? BigInteger.valueOf(small) : big;
    if (exponent >= 0) {
      unscaled = unscaled.multiply(BigInteger.TEN.pow(exponent));
    } else {
      BigInteger[] qr = unscaled.divideAndRemainder(BigInteger.TEN.pow(-exponent));
      if (qr[1].signum() != 0) {
        throw new SQLException("column '" + column.name() + "' holds a value with more than " + type.scale()
            + " fractional digits, its declared scale");
      }
      unscaled = qr[0];
    }
    // checks the precision, as the cursor's path does
    v.setSafe(row, new BigDecimal(sign == 0x4000 ? unscaled.negate() : unscaled, type.scale()));
  }
}
