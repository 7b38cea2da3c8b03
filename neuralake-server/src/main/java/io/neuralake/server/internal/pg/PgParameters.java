package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Binds a statement's parameters into its SQL as typed literals. Every value is parsed by its
 * declared type first (a number must be a number, a date a date) and written back from the parsed
 * value, and text is quoted with its quotes doubled, so no parameter can change the statement's
 * shape: what reaches the engine is one literal per {@code $n}.
 */
final class PgParameters {
  private static final Pattern DATE_WITH_ZONE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d [+-]\\d\\d(:\\d\\d)?");
  private static final Pattern TEMPORAL = Pattern.compile("[0-9 :.+\\-TtZz]{1,40}");

  private PgParameters() {}

  /** {@code sql} with each {@code $n} replaced by the literal of {@code values[n-1]}. */
  static String bind(SqlText sql, List<Integer> types, List<byte[]> values, List<Integer> formats) {
    int count = sql.parameterCount();
    if (count != values.size()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the statement has " + count + " parameters ($1 to $"
          + count + ") but " + values.size() + " values were bound; bind one value per parameter");
    }
    String[] literals = new String[values.size()];
    for (int i = 0; i < literals.length; i++) {
      int format = formats.isEmpty() ? 0 : formats.size() == 1 ? formats.get(0) : formats.get(i);
      int type = i < types.size() ? types.get(i) : 0;
      literals[i] = literal(i + 1, values.get(i), format, type);
    }
    return sql.replace(SqlText.PARAMETER, m -> literals[Integer.parseInt(m.group(1)) - 1]).sql();
  }

  /** The SQL literal of one parameter value (null: SQL NULL). */
  static String literal(int n, byte[] value, int format, int typeOid) {
    if (value == null) {
      return "NULL";
    }
    PgType type = PgType.byOid(typeOid);
    try {
      if (format == 1) {
        return binary(value, type == null ? PgType.BYTEA : type);
      }
      if (format != 0) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "parameter $" + n + " has format code " + format
            + "; give 0 (text) or 1 (binary)");
      }
      return text(new String(value, UTF_8), type);
    } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
      throw new NeuralakeException(ErrorCode.INVALID_VALUE, "parameter $" + n + " is not a valid "
          + (type == null ? "value" : type.sqlName) + ": " + e.getMessage(), e);
    } catch (java.nio.BufferUnderflowException e) {
      throw new NeuralakeException(ErrorCode.INVALID_VALUE, "parameter $" + n + " has " + value.length
          + " bytes, too few for binary " + (type == null ? "bytea" : type.sqlName), e);
    }
  }

  private static String text(String v, PgType type) {
    if (type == null) {
      // unspecified or unknown: a string literal the engine casts where it is used; pgJDBC sends dates
      // as "2024-01-31 +00", which the engine reads only without the zone
      return quote(DATE_WITH_ZONE.matcher(v).matches() ? v.substring(0, 10) : v);
    }
    return switch (type) {
      case INT2, INT4, INT8, OID -> Long.toString(Long.parseLong(v.strip()));
      case FLOAT4, FLOAT8 -> floatLiteral(Double.parseDouble(v.strip().replace("Infinity", "Infinity")));
      case NUMERIC -> "CAST('" + new BigDecimal(v.strip()).toPlainString() + "' AS DECIMAL(38,"
          + Math.min(Math.max(new BigDecimal(v.strip()).scale(), 0), 37) + "))";
      case BOOL -> switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "t", "true", "y", "yes", "on", "1" -> "TRUE";
        case "f", "false", "n", "no", "off", "0" -> "FALSE";
        default -> throw new NumberFormatException("'" + v + "' is not a boolean (true/false)");
      };
      case DATE -> "DATE " + temporal(v);
      case TIME -> "TIME " + temporal(v);
      case TIMESTAMP -> "TIMESTAMP " + temporal(v);
      case TIMESTAMPTZ -> "TIMESTAMPTZ " + temporal(v);
      case BYTEA -> blob(v.startsWith("\\x") ? HexFormat.of().parseHex(v.substring(2)) : v.getBytes(UTF_8));
      default -> quote(v);
    };
  }

  private static String binary(byte[] b, PgType type) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    return switch (type) {
      case BOOL -> b.length == 1 ? (b[0] != 0 ? "TRUE" : "FALSE") : fail(b, type);
      case INT2 -> b.length == 2 ? Short.toString(buf.getShort()) : fail(b, type);
      case INT4, OID -> b.length == 4 ? Integer.toString(buf.getInt()) : fail(b, type);
      case INT8 -> b.length == 8 ? Long.toString(buf.getLong()) : fail(b, type);
      case FLOAT4 -> b.length == 4 ? floatLiteral(buf.getFloat()) : fail(b, type);
      case FLOAT8 -> b.length == 8 ? floatLiteral(buf.getDouble()) : fail(b, type);
      case DATE -> b.length == 4 ? "DATE '" + PgValues.pgEpoch().plusDays(buf.getInt()) + "'" : fail(b, type);
      case TIME -> b.length == 8 ? "TIME '" + LocalTime.ofNanoOfDay(buf.getLong() * 1000) + "'" : fail(b, type);
      case TIMESTAMP -> b.length == 8 ? "TIMESTAMP '" + PgValues.pgEpoch().atStartOfDay()
          .plus(buf.getLong(), ChronoUnit.MICROS) + "'" : fail(b, type);
      case TIMESTAMPTZ -> b.length == 8 ? "TIMESTAMPTZ '" + PgValues.pgEpoch().atStartOfDay()
          .plus(buf.getLong(), ChronoUnit.MICROS) + "+00'" : fail(b, type);
      case TEXT, VARCHAR, NAME, JSON, UNKNOWN, CHAR -> quote(new String(b, UTF_8));
      case NUMERIC -> "CAST('" + numeric(buf).toPlainString() + "' AS DECIMAL(38,"
          + Math.min(Math.max(numeric(ByteBuffer.wrap(b)).scale(), 0), 37) + "))";
      case BYTEA -> blob(b);
    };
  }

  private static String fail(byte[] b, PgType type) {
    throw new NumberFormatException("binary " + type.sqlName + " takes " + type.size + " bytes, got " + b.length);
  }

  private static BigDecimal numeric(ByteBuffer b) {
    int ndigits = b.getShort();
    int weight = b.getShort();
    int sign = b.getShort() & 0xffff;
    int dscale = b.getShort();
    if (sign == 0xC000) {
      throw new NumberFormatException("NaN is not a number the engine's decimals hold");
    }
    BigInteger unscaled = BigInteger.ZERO;
    for (int i = 0; i < ndigits; i++) {
      unscaled = unscaled.multiply(BigInteger.valueOf(10_000)).add(BigInteger.valueOf(b.getShort()));
    }
    BigDecimal v = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - ndigits + 1));
    v = v.setScale(Math.max(dscale, 0), java.math.RoundingMode.UNNECESSARY);
    return sign == 0x4000 ? v.negate() : v;
  }

  private static String floatLiteral(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "CAST('" + (Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity") + "' AS DOUBLE)";
    }
    return "CAST(" + Double.toString(d) + " AS DOUBLE)";
  }

  /** A date or time text, checked to hold only digits and separators before it is quoted. */
  private static String temporal(String v) {
    String s = v.strip();
    // pgJDBC sends "2024-01-31 +00" or "...+01:00"; keep the value, refuse anything that is not a time
    if (!TEMPORAL.matcher(s).matches()) {
      throw new NumberFormatException("'" + v + "' is not a date or time (yyyy-mm-dd[ hh:mm:ss[.ffffff]][+hh[:mm]])");
    }
    if (s.length() >= 10 && s.indexOf(' ') > 0 && s.substring(s.indexOf(' ') + 1).matches("[+-]\\d\\d(:\\d\\d)?")) {
      s = s.substring(0, s.indexOf(' ')); // a date with pgJDBC's zone suffix
    }
    return "'" + s + "'";
  }

  private static String blob(byte[] b) {
    StringBuilder sb = new StringBuilder("'");
    for (byte x : b) {
      sb.append(String.format("\\x%02X", x & 0xff));
    }
    return sb.append("'::BLOB").toString();
  }

  static String quote(String v) {
    if (v.indexOf('\0') >= 0) {
      throw new NeuralakeException(ErrorCode.INVALID_VALUE, "a text parameter holds a zero byte, which SQL text cannot");
    }
    return "'" + v.replace("'", "''") + "'";
  }

}
