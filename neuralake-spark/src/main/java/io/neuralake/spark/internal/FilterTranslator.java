package io.neuralake.spark.internal;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.filter.Operator;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;

/**
 * Spark's pushed filters as Neuralake's: comparisons, IN, NOT IN, substring matches and their
 * AND/OR combinations on top-level columns of plain types. A filter is translated whole or not at
 * all; what is not translated stays with Spark, which applies it after the scan.
 */
public final class FilterTranslator {
  /** Past this many conjunctions an OR of ANDs stays with Spark rather than grow the plan. */
  private static final int MAX_DISJUNCTS = 64;

  private final Schema schema;

  public FilterTranslator(Schema schema) {
    this.schema = schema;
  }

  /** The filter as Neuralake's, or empty when any part of it has no exact translation. */
  public Optional<Filters> translate(org.apache.spark.sql.sources.Filter filter) {
    Filters f = translateOrNull(filter);
    return f == null || f.disjuncts().size() > MAX_DISJUNCTS ? Optional.empty() : Optional.of(f);
  }

  private Filters translateOrNull(org.apache.spark.sql.sources.Filter filter) {
    return switch (filter) {
      case EqualTo f -> one(f.attribute(), Operator.EQ, f.value());
      // with a non-null value, <=> keeps the same rows as =
      case EqualNullSafe f -> f.value() == null ? null : one(f.attribute(), Operator.EQ, f.value());
      case GreaterThan f -> one(f.attribute(), Operator.GT, f.value());
      case GreaterThanOrEqual f -> one(f.attribute(), Operator.GE, f.value());
      case LessThan f -> one(f.attribute(), Operator.LT, f.value());
      case LessThanOrEqual f -> one(f.attribute(), Operator.LE, f.value());
      // a null in the list never matches a row a WHERE keeps, so it is left out
      case In f -> list(f.attribute(), Operator.IN,
          Arrays.stream(f.values()).filter(Objects::nonNull).toList());
      case StringContains f -> isType(f.attribute(), DataType.STRING)
          ? Filters.all(new Filter(f.attribute(), Operator.CONTAINS, f.value())) : null;
      case Not n -> switch (n.child()) {
        case EqualTo f -> one(f.attribute(), Operator.NE, f.value());
        // NOT IN a list holding a null keeps no row in SQL: left to Spark
        case In f -> Arrays.stream(f.values()).anyMatch(Objects::isNull) ? null
            : list(f.attribute(), Operator.NOT_IN, Arrays.asList(f.values()));
        default -> null;
      };
      case And a -> {
        Filters l = translateOrNull(a.left());
        Filters r = translateOrNull(a.right());
        yield l == null || r == null ? null : l.and(r);
      }
      case Or o -> {
        Filters l = translateOrNull(o.left());
        Filters r = translateOrNull(o.right());
        if (l == null || r == null || l.isEmpty() || r.isEmpty()) {
          yield null;
        }
        List<List<Filter>> both = new ArrayList<>(l.disjuncts());
        both.addAll(r.disjuncts());
        yield Filters.anyOf(both);
      }
      default -> null;
    };
  }

  private Filters one(String column, Operator op, Object sparkValue) {
    Object value = value(column, sparkValue);
    return value == null ? null : Filters.all(new Filter(column, op, value));
  }

  private Filters list(String column, Operator op, List<Object> sparkValues) {
    if (sparkValues.isEmpty()) {
      return null;
    }
    List<Object> values = new ArrayList<>();
    for (Object v : sparkValues) {
      Object converted = value(column, v);
      if (converted == null) {
        return null;
      }
      values.add(converted);
    }
    return Filters.all(new Filter(column, op, values));
  }

  private boolean isType(String column, DataType type) {
    return schema.find(column).map(f -> f.type().equals(type)).orElse(false);
  }

  /** Spark's value as the Java value Neuralake's filters take for the column's type; null when there is none. */
  private Object value(String column, Object v) {
    Optional<Field> field = schema.find(column);
    if (v == null || field.isEmpty() || !pushable(field.get().type())) {
      return null;
    }
    DataType type = field.get().type();
    return switch (v) {
      case String s -> type.equals(DataType.STRING) ? s : null;
      case Boolean b -> type.equals(DataType.BOOLEAN) ? b : null;
      case Byte b -> type.isNumeric() ? b.longValue() : null;
      case Short s -> type.isNumeric() ? s.longValue() : null;
      case Integer i -> type.isNumeric() ? i.longValue() : null;
      case Long l -> type.isNumeric() ? l : null;
      case Float f -> type.isNumeric() && !f.isNaN() ? f.doubleValue() : null;
      case Double d -> type.isNumeric() && !d.isNaN() ? d : null;
      case BigDecimal d -> type.isNumeric() ? d : null;
      case java.sql.Date d -> type.equals(DataType.DATE) ? d.toLocalDate() : null;
      case LocalDate d -> type.equals(DataType.DATE) ? d : null;
      case java.sql.Timestamp t -> type.equals(DataType.TIMESTAMP_TZ) ? t.toInstant() : null;
      case Instant i -> type.equals(DataType.TIMESTAMP_TZ) ? i : null;
      case LocalDateTime t -> type.equals(DataType.TIMESTAMP) ? t : null;
      default -> null;
    };
  }

  /** Columns whose values Spark sees as they are stored (not widened or turned into text for Spark). */
  private static boolean pushable(DataType type) {
    return (type instanceof DataType.Primitive || type instanceof DataType.Decimal)
        && SparkTypes.readable(type).equals(type) && !type.equals(DataType.BINARY);
  }
}
