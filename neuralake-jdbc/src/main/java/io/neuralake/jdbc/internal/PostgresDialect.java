package io.neuralake.jdbc.internal;

import io.neuralake.filter.Operator;
import io.neuralake.jdbc.JdbcDialect;
import io.neuralake.types.DataType;
import java.util.List;

/**
 * PostgreSQL's SQL: every comparison, text in byte order, {@code contains} by {@code strpos},
 * {@code includes} by {@code = ANY}, {@code includes any} and {@code includes all} by {@code &&} and {@code @>}.
 */
public final class PostgresDialect implements JdbcDialect {
  public static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {}

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String castType(DataType type) {
    if (type instanceof DataType.Decimal d) {
      return "numeric(" + d.precision() + "," + d.scale() + ")";
    }
    if (!(type instanceof DataType.Primitive p)) {
      return null;
    }
    return switch (p.kind()) {
      case BOOLEAN -> "boolean";
      case INT16 -> "smallint";
      case INT32 -> "integer";
      case INT64 -> "bigint";
      case FLOAT32 -> "real";
      case FLOAT64 -> "double precision"; // NaN equals NaN and sorts last, as in the engine
      case STRING -> "text";
      case DATE -> "date";
      case TIME -> "time";
      case TIMESTAMP -> "timestamp";
      case TIMESTAMP_TZ -> "timestamptz";
      default -> null;
    };
  }

  @Override
  public String condition(Operator operator, String column, DataType type, List<String> parameters) {
    if (type instanceof DataType.ListType list) {
      // overlap and containment compare elements with =, as the engine's list_has_any / list_has_all
      // do; the column is cast to the parameters' array type (a varchar[] has no && with a text[])
      String array = "ARRAY[" + String.join(", ", parameters) + "]";
      String typed = "CAST(" + column + " AS " + castType(list.element()) + "[])";
      return switch (operator) {
        case INCLUDES -> parameters.get(0) + " = ANY(" + column + ")";
        case INCLUDES_ANY -> typed + " && " + array;
        case INCLUDES_ALL -> typed + " @> " + array;
        default -> null;
      };
    }
    // text order: byte order, as the engine compares, whatever the database's collation
    String ordered = type.equals(DataType.STRING) ? column + " COLLATE \"C\"" : column;
    return switch (operator) {
      case CONTAINS -> type.equals(DataType.STRING) ? "strpos(" + column + ", " + parameters.get(0) + ") > 0" : null;
      case LT, LE, GT, GE -> Conditions.comparison(operator, ordered, parameters);
      default -> Conditions.comparison(operator, column, parameters);
    };
  }

  @Override
  public String limit(String select, long rows) {
    return select + " LIMIT " + rows;
  }
}
