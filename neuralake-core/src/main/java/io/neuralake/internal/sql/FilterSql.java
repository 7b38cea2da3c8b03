package io.neuralake.internal.sql;

import static io.neuralake.types.Identifiers.quote;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.internal.scan.TypedValues;
import io.neuralake.types.DataType;
import io.neuralake.types.Schema;
import java.util.List;
import java.util.stream.Collectors;

/** Renders catalog filters as a SQL condition, checking columns and value types against a schema. */
public final class FilterSql {
  private FilterSql() {}

  /** The condition, or {@code TRUE} for no filter. Errors name the table, column and value. */
  public static String render(String table, Filters filters, Schema schema) {
    if (filters.isEmpty()) {
      return "TRUE";
    }
    return filters.disjuncts().stream()
        .map(conj -> conj.stream().map(f -> render(table, f, schema)).collect(Collectors.joining(" AND ", "(", ")")))
        .collect(Collectors.joining(" OR "));
  }

  private static String render(String table, Filter f, Schema schema) {
    DataType type = schema.find(f.column()).orElseThrow(() -> new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND,
        "table '" + table + "' has no column '" + f.column() + "' (filter " + f + "); its columns are: "
            + String.join(", ", schema.names()))).type();
    Object value = TypedValues.coerceFilterValue(table, f, type);
    String col = quote(f.column());
    DataType element = type instanceof DataType.ListType l ? l.element() : type;
    if (value instanceof List<?> list && list.isEmpty()) {
      // an empty list: nothing is in it, and a list holds all of nothing
      return switch (f.operator()) {
        case NOT_IN, INCLUDES_ALL -> "TRUE";
        default -> "FALSE";
      };
    }
    return switch (f.operator()) {
      case EQ -> col + " = " + SqlLiterals.typed(value, type);
      case NE -> col + " <> " + SqlLiterals.typed(value, type);
      case LT -> col + " < " + SqlLiterals.typed(value, type);
      case LE -> col + " <= " + SqlLiterals.typed(value, type);
      case GT -> col + " > " + SqlLiterals.typed(value, type);
      case GE -> col + " >= " + SqlLiterals.typed(value, type);
      case IN -> col + " IN (" + items((List<?>) value, type) + ")";
      case NOT_IN -> col + " NOT IN (" + items((List<?>) value, type) + ")";
      case CONTAINS -> "contains(" + col + ", " + SqlLiterals.string((String) value) + ")";
      case INCLUDES -> "list_contains(" + col + ", " + SqlLiterals.typed(value, element) + ")";
      case INCLUDES_ANY -> "list_has_any(" + col + ", [" + items((List<?>) value, element) + "])";
      case INCLUDES_ALL -> "list_has_all(" + col + ", [" + items((List<?>) value, element) + "])";
    };
  }

  private static String items(List<?> values, DataType type) {
    return values.stream().map(v -> SqlLiterals.typed(v, type)).collect(Collectors.joining(", "));
  }
}
