package io.neuralake.internal.scan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Partition values as they appear in folder names. Spark and Hive escape special characters as
 * {@code %XX}; other tools write them as they are. Both spellings read back as the same value.
 */
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

  /** Whether a value has one spelling only in folder names, so a path built from it finds its folder. */
  public static boolean hasOneSpelling(String value) {
    // "." and ".." are no folder's name: as a path they would name this folder or its parent
    return escape(value).equals(value) && !value.equals(".") && !value.equals("..");
  }

  /**
   * The value a folder name spells: {@code %XX} escapes decoded (runs of them as UTF-8, as URI
   * encoders write non-ASCII characters); a {@code %} that starts no escape, and {@code +}, stay
   * themselves, since a folder written unescaped may contain them.
   */
  public static String unescape(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    StringBuilder out = new StringBuilder(segment.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < segment.length()) {
      int hex = segment.charAt(i) == '%' && i + 2 < segment.length() ? hexByte(segment.charAt(i + 1), segment.charAt(i + 2)) : -1;
      if (hex >= 0) {
        bytes.write(hex);
        i += 3;
        continue;
      }
      flush(bytes, out);
      out.append(segment.charAt(i));
      i++;
    }
    flush(bytes, out);
    return out.toString();
  }

  private static int hexByte(char high, char low) {
    int hi = Character.digit(high, 16);
    int lo = Character.digit(low, 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() > 0) {
      out.append(bytes.toString(StandardCharsets.UTF_8));
      bytes.reset();
    }
  }
}
