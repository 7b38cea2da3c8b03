package io.neuralake.internal.scan;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Partition values as they appear in folder names (Hive's escaping of special characters). */
public final class PathValues {
  private static final String ESCAPED = "\"#%'*/:=?\\{[]^";

  private PathValues() {}

  public static String format(Object value) {
    if (value == null) {
      return TypedValues.HIVE_NULL;
    }
    if (value instanceof LocalDateTime t) {
      return t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replace('T', ' ');
    }
    return value.toString();
  }

  /** Escapes the characters Hive escapes in partition folder names. */
  public static String escape(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c == 0x7F || ESCAPED.indexOf(c) >= 0) {
        sb.append('%').append(String.format("%02X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
