package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;

/** A partition column: its values come from the path of each file, not from the file. */
public record Partition(String column, DataType type) {
  public Partition {
    requireNonNull(column, "column");
    requireNonNull(type, "type");
    if (!(type instanceof DataType.Primitive p) || p.kind() == DataType.Kind.BINARY) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "partition column '" + column + "' has type " + type
          + "; partition columns must be a primitive type such as int64, string or date");
    }
  }

  public static Partition of(String column, DataType type) {
    return new Partition(column, type);
  }
}
