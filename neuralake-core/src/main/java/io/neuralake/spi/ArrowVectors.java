package io.neuralake.spi;

import io.neuralake.internal.arrow.ArrowTypes;
import io.neuralake.internal.arrow.VectorWriter;
import io.neuralake.types.Schema;
import org.apache.arrow.vector.FieldVector;

/** Arrow as the engine reads it: the Arrow schema of a table schema, and Java values written into vectors. */
public final class ArrowVectors {
  private ArrowVectors() {}

  /** The Arrow schema whose vectors the engine reads as {@code schema} (microsecond timestamps, 128-bit decimals...). */
  public static org.apache.arrow.vector.types.pojo.Schema schema(Schema schema) {
    return ArrowTypes.toArrow(schema);
  }

  /** Writes a Java value (null, a number, text, a date or time, a list...) at row {@code i}; errors name the column. */
  public static void set(FieldVector vector, int i, Object value) {
    VectorWriter.set(vector, i, value);
  }
}
