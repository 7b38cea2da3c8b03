package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;

/**
 * A partition column: its values come from the path of each file (or a Delta table's log), not
 * from the file. Any scalar type can partition: numbers, decimals, strings, binary (its bytes as
 * the folder name's UTF-8 text), booleans, dates and timestamps.
 */
public record Partition(String column, DataType type) {
  public Partition {
    requireNonNull(column, "column");
    requireNonNull(type, "type");
    if (!(type instanceof DataType.Primitive || type instanceof DataType.Decimal)) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "partition column '" + column + "' has type "
          + type.typeName() + "; partition columns must be a scalar type such as int64, string, date or decimal(10,2),"
          + " not a list, map or struct");
    }
  }

  public static Partition of(String column, DataType type) {
    return new Partition(column, type);
  }
}
