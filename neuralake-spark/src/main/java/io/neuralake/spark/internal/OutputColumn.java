package io.neuralake.spark.internal;

import io.neuralake.frame.Expr;
import io.neuralake.types.DataType;
import java.io.Serializable;

/**
 * A column a scan hands Spark: its name, and the type the engine casts it to first when Spark
 * cannot read its own ({@link SparkTypes#readable}); null when it goes as it is.
 */
public record OutputColumn(String name, String castTo) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static OutputColumn of(String name, DataType type) {
    DataType readable = SparkTypes.readable(type);
    return new OutputColumn(name, readable.equals(type) ? null : readable.typeName());
  }

  /** The expression selecting the column for Spark. */
  public Expr expr() {
    return castTo == null ? Expr.col(name) : Expr.col(name).cast(DataType.parse(castTo)).as(name);
  }
}
