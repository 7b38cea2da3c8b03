package io.neuralake.jdbc.internal;

import io.neuralake.filter.Operator;
import io.neuralake.jdbc.JdbcDialect;
import io.neuralake.types.DataType;
import java.util.List;

/**
 * Standard SQL for any other database, pushing only what standard SQL says with the engine's
 * meaning: no text order (a database's collation need not be byte order), no float (the standard
 * does not say how NaN compares; the engine holds it equal to itself and above every number), no
 * list (arrays are not standard), and times cast with microseconds (a bare {@code TIME} has whole
 * seconds).
 */
public final class AnsiDialect implements JdbcDialect {
  public static final AnsiDialect INSTANCE = new AnsiDialect();

  private AnsiDialect() {}

  @Override
  public String name() {
    return "ansi";
  }

  @Override
  public String castType(DataType type) {
    if (type instanceof DataType.Decimal d) {
      return "NUMERIC(" + d.precision() + "," + d.scale() + ")";
    }
    if (!(type instanceof DataType.Primitive p)) {
      return null;
    }
    return switch (p.kind()) {
      case BOOLEAN -> "BOOLEAN";
      case INT16 -> "SMALLINT";
      case INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case STRING -> "VARCHAR";
      case DATE -> "DATE";
      case TIME -> "TIME(6)";
      case TIMESTAMP -> "TIMESTAMP(6)";
      case TIMESTAMP_TZ -> "TIMESTAMP(6) WITH TIME ZONE";
      default -> null;
    };
  }

  @Override
  public String condition(Operator operator, String column, DataType type, List<String> parameters) {
    if (!type.equals(DataType.STRING)) {
      return Conditions.comparison(operator, column, parameters);
    }
    return switch (operator) {
      // POSITION, not LIKE: a value's % and _ are text, not patterns
      case CONTAINS -> "POSITION(" + parameters.get(0) + " IN " + column + ") > 0";
      case EQ, NE, IN, NOT_IN -> Conditions.comparison(operator, column, parameters);
      default -> null;
    };
  }
}
