package io.neuralake.internal.arrow;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.complex.BaseListVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Reads one Arrow cell as a plain Java value: integers as Integer/Long (by width), floats as
 * Float/Double, strings as String, dates as LocalDate, timestamps as LocalDateTime (or Instant
 * with a time zone), decimals as BigDecimal, lists as List, structs and maps as Map.
 */
public final class ArrowValues {
  private ArrowValues() {}

  public static Object get(FieldVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    return switch (v) {
      case BitVector b -> b.get(i) != 0;
      case UInt1Vector u -> (int) u.getValueAsLong(i);
      case UInt2Vector u -> (int) u.getValueAsLong(i);
      case UInt4Vector u -> u.getValueAsLong(i);
      case UInt8Vector u -> u.getValueAsLong(i);
      case org.apache.arrow.vector.TinyIntVector t -> t.get(i);
      case org.apache.arrow.vector.SmallIntVector s -> s.get(i);
      case org.apache.arrow.vector.IntVector n -> n.get(i);
      case org.apache.arrow.vector.BigIntVector n -> n.get(i);
      case BaseIntVector n -> n.getValueAsLong(i);
      case Float4Vector f -> f.get(i);
      case Float8Vector f -> f.get(i);
      case DecimalVector d -> d.getObject(i);
      case DateDayVector d -> LocalDate.ofEpochDay(d.get(i));
      case DateMilliVector d -> LocalDate.ofEpochDay(Math.floorDiv(d.get(i), 86_400_000L));
      case TimeSecVector t -> LocalTime.ofSecondOfDay(t.get(i));
      case TimeMilliVector t -> LocalTime.ofNanoOfDay(t.get(i) * 1_000_000L);
      case TimeMicroVector t -> LocalTime.ofNanoOfDay(t.get(i) * 1_000L);
      case TimeNanoVector t -> LocalTime.ofNanoOfDay(t.get(i));
      case TimeStampVector t -> timestamp(t, i);
      case MapVector m -> map(m, i);
      case ListVector l -> list(l, i);
      case LargeListVector l -> largeList(l, i);
      case FixedSizeListVector l -> list(l, i);
      case StructVector s -> struct(s, i);
      case VariableWidthFieldVector w -> {
        byte[] bytes = w.get(i);
        boolean text = v.getField().getType() instanceof ArrowType.Utf8
            || v.getField().getType() instanceof ArrowType.LargeUtf8
            || v.getField().getType() instanceof ArrowType.Utf8View;
        yield text ? new String(bytes, StandardCharsets.UTF_8) : bytes;
      }
      default -> {
        Object o = v.getObject(i);
        yield o instanceof BigDecimal || o instanceof Number || o instanceof String ? o : String.valueOf(o);
      }
    };
  }

  private static Object timestamp(TimeStampVector t, int i) {
    ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
    long raw = t.get(i);
    long seconds;
    long nanos;
    TimeUnit unit = type.getUnit();
    switch (unit) {
      case SECOND -> {
        seconds = raw;
        nanos = 0;
      }
      case MILLISECOND -> {
        seconds = Math.floorDiv(raw, 1000L);
        nanos = Math.floorMod(raw, 1000L) * 1_000_000L;
      }
      case MICROSECOND -> {
        seconds = Math.floorDiv(raw, 1_000_000L);
        nanos = Math.floorMod(raw, 1_000_000L) * 1000L;
      }
      default -> {
        seconds = Math.floorDiv(raw, 1_000_000_000L);
        nanos = Math.floorMod(raw, 1_000_000_000L);
      }
    }
    Instant instant = Instant.ofEpochSecond(seconds, nanos);
    return type.getTimezone() == null ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : instant;
  }

  private static List<Object> list(BaseListVector l, int i) {
    int start = l.getElementStartIndex(i);
    int end = l.getElementEndIndex(i);
    FieldVector child = (FieldVector) l.getChildrenFromFields().get(0);
    List<Object> out = new ArrayList<>(end - start);
    for (int k = start; k < end; k++) {
      out.add(get(child, k));
    }
    return out;
  }

  private static List<Object> largeList(LargeListVector l, int i) {
    long start = l.getOffsetBuffer().getLong((long) i * LargeListVector.OFFSET_WIDTH);
    long end = l.getOffsetBuffer().getLong((long) (i + 1) * LargeListVector.OFFSET_WIDTH);
    FieldVector child = l.getDataVector();
    List<Object> out = new ArrayList<>();
    for (long k = start; k < end; k++) {
      out.add(get(child, Math.toIntExact(k)));
    }
    return out;
  }

  private static Map<String, Object> struct(StructVector s, int i) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (FieldVector child : s.getChildrenFromFields()) {
      out.put(child.getName(), get(child, i));
    }
    return out;
  }

  private static Map<Object, Object> map(MapVector m, int i) {
    int start = m.getElementStartIndex(i);
    int end = m.getElementEndIndex(i);
    StructVector entries = (StructVector) m.getDataVector();
    FieldVector keys = entries.getChildrenFromFields().get(0);
    FieldVector values = entries.getChildrenFromFields().get(1);
    Map<Object, Object> out = new LinkedHashMap<>();
    for (int k = start; k < end; k++) {
      out.put(get(keys, k), get(values, k));
    }
    return out;
  }
}
