package io.neuralake.server.internal.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One result cell (as {@link io.neuralake.spi.Values#arrowValue} reads it) in JSON or as CSV
 * text. Dates and times are ISO-8601 strings (seconds always shown), binary is base64, non-finite
 * floats are the strings {@code NaN}, {@code Infinity}, {@code -Infinity} (JSON has no such numbers).
 */
final class Cells {
  private Cells() {}

  static void json(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Short s -> g.writeNumber(s);
      case Byte b -> g.writeNumber(b);
      case Double d when Double.isFinite(d) -> g.writeNumber(d);
      case Float f when Float.isFinite(f) -> g.writeNumber(f);
      case BigDecimal d -> g.writeNumber(d);
      case BigInteger i -> g.writeNumber(i);
      case String s -> g.writeString(s);
      case byte[] bytes -> g.writeString(Base64.getEncoder().encodeToString(bytes));
      case List<?> list -> {
        g.writeStartArray();
        for (Object e : list) {
          json(g, e);
        }
        g.writeEndArray();
      }
      case Map<?, ?> map -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          json(g, e.getValue());
        }
        g.writeEndObject();
      }
      default -> g.writeString(text(v));
    }
  }

  /** A scalar's text: what CSV shows and what JSON shows for dates and times. */
  static String text(Object v) {
    return switch (v) {
      case null -> "";
      case LocalDateTime t -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
      case LocalTime t -> DateTimeFormatter.ISO_LOCAL_TIME.format(t);
      case BigDecimal d -> d.toPlainString();
      case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
      case List<?> l -> jsonText(l);
      case Map<?, ?> m -> jsonText(m);
      default -> v.toString();
    };
  }

  private static String jsonText(Object nested) {
    java.io.StringWriter w = new java.io.StringWriter();
    try (JsonGenerator g = HttpErrors.JSON.getFactory().createGenerator(w)) {
      json(g, nested);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString();
  }
}
