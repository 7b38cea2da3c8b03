package io.neuralake.delta.internal;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.spi.Values;
import io.neuralake.types.DataType;
import io.neuralake.types.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Catalog filters as Delta Kernel predicates, which prune partitions and skip files by their
 * min/max/null-count statistics. Only what converts exactly is passed; the rest is left to the
 * engine, which applies every filter anyway.
 */
public final class DeltaPredicates {
  private static final int MAX_IN = 64;

  private DeltaPredicates() {}

  /** The filters Kernel can use, or empty. {@code strict} filters must fit their columns. */
  public static Optional<Predicate> of(String table, Filters filters, Schema schema, boolean strict) {
    return of(table, filters, schema, Set.of(), strict);
  }

  /**
   * As {@link #of(String, Filters, Schema, boolean)}; filters on {@code partitionColumns} also pass
   * '!=' and 'not in', which Kernel decides exactly from each file's partition values (min/max
   * statistics could not).
   */
  public static Optional<Predicate> of(String table, Filters filters, Schema schema, Set<String> partitionColumns,
      boolean strict) {
    if (filters.isEmpty()) {
      return Optional.empty();
    }
    List<Predicate> disjuncts = new ArrayList<>();
    for (List<Filter> conjunction : filters.disjuncts()) {
      Predicate all = null;
      for (Filter f : conjunction) {
        Predicate p = convert(table, f, schema, partitionColumns.contains(f.column()), strict);
        if (p != null) {
          all = all == null ? p : new Predicate("AND", all, p);
        }
      }
      if (all == null) {
        return Optional.empty(); // this disjunct constrains nothing Kernel can use: no skipping
      }
      disjuncts.add(all);
    }
    Predicate any = disjuncts.get(0);
    for (int i = 1; i < disjuncts.size(); i++) {
      any = new Predicate("OR", any, disjuncts.get(i));
    }
    return Optional.of(any);
  }

  private static Predicate convert(String table, Filter f, Schema schema, boolean partition, boolean strict) {
    Optional<io.neuralake.types.Field> field = schema.find(f.column());
    if (field.isEmpty() || !(field.get().type() instanceof DataType.Primitive || field.get().type() instanceof DataType.Decimal)) {
      return null;
    }
    DataType type = field.get().type();
    Object value;
    try {
      value = Values.coerceFilterValue(table, f, type);
    } catch (NeuralakeException e) {
      if (strict) {
        throw e;
      }
      return null;
    }
    Column column = new Column(f.column());
    return switch (f.operator()) {
      case EQ -> compare("=", column, value, type);
      case LT -> compare("<", column, value, type);
      case LE -> compare("<=", column, value, type);
      case GT -> compare(">", column, value, type);
      case GE -> compare(">=", column, value, type);
      case IN -> anyEqual(column, (List<?>) value, type);
      // NOT(x = v) is null, so false, for a null partition value, as x != v is in SQL
      case NE -> partition ? not(compare("=", column, value, type)) : null;
      case NOT_IN -> partition && !((List<?>) value).isEmpty() ? not(anyEqual(column, (List<?>) value, type)) : null;
      default -> null; // contains, includes; '!=' and 'not in' on data columns: no file skipping from min/max
    };
  }

  private static Predicate anyEqual(Column column, List<?> values, DataType type) {
    if (values.isEmpty() || values.size() > MAX_IN) {
      return null;
    }
    Predicate any = null;
    for (Object v : values) {
      Predicate eq = compare("=", column, v, type);
      if (eq == null) {
        return null;
      }
      any = any == null ? eq : new Predicate("OR", any, eq);
    }
    return any;
  }

  private static Predicate not(Predicate p) {
    return p == null ? null : new Predicate("NOT", p);
  }

  private static Predicate compare(String op, Column column, Object value, DataType type) {
    Literal literal = literal(value, type);
    return literal == null ? null : new Predicate(op, column, literal);
  }

  static Literal literal(Object value, DataType type) {
    if (value == null) {
      return null;
    }
    if (type instanceof DataType.Decimal d) {
      BigDecimal exact = (BigDecimal) value;
      if (exact.scale() > d.scale() || exact.precision() - exact.scale() > d.precision() - d.scale()) {
        return null; // more digits than the column holds: no literal of its type says it, the engine compares
      }
      return Literal.ofDecimal(exact.setScale(d.scale(), java.math.RoundingMode.UNNECESSARY), d.precision(), d.scale());
    }
    return switch (((DataType.Primitive) type).kind()) {
      case BOOLEAN -> Literal.ofBoolean((Boolean) value);
      case INT8 -> Literal.ofByte(((Long) value).byteValue());
      case INT16 -> Literal.ofShort(((Long) value).shortValue());
      case INT32 -> Literal.ofInt(((Long) value).intValue());
      case INT64 -> Literal.ofLong((Long) value);
      case FLOAT32 -> Literal.ofFloat(((Double) value).floatValue());
      case FLOAT64 -> Literal.ofDouble((Double) value);
      case STRING -> Literal.ofString((String) value);
      case BINARY -> Literal.ofBinary((byte[]) value);
      case DATE -> Literal.ofDate((int) ((LocalDate) value).toEpochDay());
      case TIMESTAMP -> Literal.ofTimestampNtz(micros((LocalDateTime) value));
      case TIMESTAMP_TZ -> Literal.ofTimestamp(micros((LocalDateTime) value));
      default -> null;
    };
  }

  private static long micros(LocalDateTime t) {
    return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t.toInstant(ZoneOffset.UTC));
  }
}
