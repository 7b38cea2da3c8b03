package io.neuralake.internal.sql;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HexFormat;
import java.util.StringJoiner;

/** Java values as SQL literals. Everything user-supplied reaches SQL only through here. */
public final class SqlLiterals {
  private SqlLiterals() {}

  public static String string(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * A local file for the engine's file readers ({@code read_parquet}), which expand {@code *},
   * {@code ?} and {@code [} as globs: each is written as a one-character class ({@code [*]}), so
   * the path names exactly that file. The engine's globbing cannot express a backslash once a
   * path has a glob character, so such a path is refused with its name.
   */
  public static String filePath(Path file) {
    return string(globEscaped(file));
  }

  /** The path as {@link #filePath} hands it to the engine, unquoted (the engine's messages quote it so). */
  public static String globEscaped(Path file) {
    String path = file.toString();
    StringBuilder sb = new StringBuilder(path.length() + 8);
    boolean glob = false;
    for (char c : path.toCharArray()) {
      if (c == '*' || c == '?' || c == '[') {
        sb.append('[').append(c).append(']');
        glob = true;
      } else {
        sb.append(c);
      }
    }
    if (glob && path.indexOf('\\') >= 0) {
      throw new NeuralakeException(ErrorCode.NOT_SUPPORTED,
          "the file '" + path + "' cannot be read: its path has both a backslash and"
          + " one of * ? [, which the engine cannot match literally; rename the file or folder");
    }
    return sb.toString();
  }

  /** Local files as a list for the engine's file readers; see {@link #filePath}. */
  public static String filePaths(Collection<Path> files) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    files.forEach(f -> j.add(filePath(f)));
    return j.toString();
  }

  /** A literal of the value's natural type. */
  public static String of(Object value) {
    return switch (value) {
      case null -> "NULL";
      case String s -> string(s);
      case Character c -> string(c.toString());
      case Boolean b -> b ? "TRUE" : "FALSE";
      case Long l -> "CAST(" + l + " AS BIGINT)";
      case Integer i -> i.toString();
      case Short s -> "CAST(" + s + " AS SMALLINT)";
      case Byte b -> "CAST(" + b + " AS TINYINT)";
      case BigInteger b -> "CAST(" + b + " AS HUGEINT)";
      case Double d -> dbl(d);
      case Float f -> "CAST(" + dbl(f.doubleValue()) + " AS FLOAT)";
      case BigDecimal d -> "CAST(" + string(d.toPlainString()) + " AS DECIMAL(38," + Math.max(0, Math.min(d.scale(), 37)) + "))";
      case LocalDate d -> "DATE " + string(d.toString());
      case LocalTime t -> "TIME " + string(t.toString());
      case LocalDateTime t -> "TIMESTAMP " + string(t.toString().replace('T', ' '));
      case Instant i -> "TIMESTAMPTZ " + string(i.toString());
      case OffsetDateTime o -> "TIMESTAMPTZ " + string(o.toString());
      case byte[] b -> "from_hex(" + string(HexFormat.of().formatHex(b)) + ")";
      case Collection<?> c -> list(c);
      default -> throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "a value of type " + value.getClass().getName()
          + " cannot be used in a query; use strings, numbers, booleans, dates, times or lists of them");
    };
  }

  /** A literal cast to a column's type, so comparisons never widen or reinterpret the column. */
  public static String typed(Object value, DataType type) {
    if (value == null) {
      return "CAST(NULL AS " + type.sqlName() + ")";
    }
    if (value instanceof Collection<?> c) {
      return list(c);
    }
    return "CAST(" + of(value) + " AS " + type.sqlName() + ")";
  }

  private static String list(Collection<?> values) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (Object v : values) {
      j.add(of(v));
    }
    return j.toString();
  }

  private static String dbl(double d) {
    if (Double.isNaN(d)) {
      return "CAST('NaN' AS DOUBLE)";
    }
    if (Double.isInfinite(d)) {
      return "CAST('" + (d > 0 ? "Infinity" : "-Infinity") + "' AS DOUBLE)";
    }
    return "CAST(" + d + " AS DOUBLE)";
  }
}
