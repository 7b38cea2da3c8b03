package io.neuralake.site.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Values written as Java, SQL and shell source text, for the snippets the site tells people to paste. */
final class Literals {
  private Literals() {}

  static String java(Object value) {
    return switch (value) {
      case String s -> javaString(s);
      case Long l -> l + "L";
      case Integer i -> i.toString();
      case Short s -> "(short) " + s;
      case Byte b -> "(byte) " + b;
      case Double d -> Double.isFinite(d) ? d.toString() : "Double.valueOf(\"" + d + "\")";
      case Float f -> Float.isFinite(f) ? f + "f" : "Float.valueOf(\"" + f + "\")";
      case Boolean b -> b.toString();
      case BigDecimal b -> "new java.math.BigDecimal(\"" + b.toPlainString() + "\")";
      case LocalDate d -> "java.time.LocalDate.parse(\"" + d + "\")";
      case LocalDateTime t -> "java.time.LocalDateTime.parse(\"" + t + "\")";
      case Instant t -> "java.time.Instant.parse(\"" + t + "\")";
      case List<?> list -> list.stream().map(Literals::java).collect(Collectors.joining(", "));
      default -> javaString(String.valueOf(value));
    };
  }

  static String javaString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static String sql(Object value) {
    return switch (value) {
      case Number n -> n instanceof BigDecimal b ? b.toPlainString() : n.toString();
      case Boolean b -> b.toString();
      case LocalDate d -> "DATE '" + d + "'";
      case LocalDateTime t -> "TIMESTAMP '" + t + "'";
      case Instant t -> "TIMESTAMPTZ '" + t + "'";
      case List<?> list -> list.stream().map(Literals::sql).collect(Collectors.joining(", "));
      default -> "'" + String.valueOf(value).replace("'", "''") + "'";
    };
  }

  /** A SQL identifier: bare when it is a plain lower-case name, else double-quoted. */
  static String sqlName(String name) {
    return name.matches("[a-z_][a-z0-9_]*") ? name : io.neuralake.types.Identifiers.quote(name);
  }

  /** Single-quoted for a POSIX shell: nothing inside is expanded. */
  static String shell(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** A Python string literal. */
  static String python(String s) {
    return javaString(s);   // Java's escapes are valid in a Python "..." literal
  }
}
