package io.neuralake.internal.arrow;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.Schema;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Map;

/** Builds records from rows, by component name, widening or narrowing numbers where exact. */
public final class RowMapper<R extends Record> {
  private final Class<R> type;
  private final RecordComponent[] components;
  private final Constructor<R> constructor;

  public RowMapper(Class<R> type, Schema schema) {
    this.type = type;
    this.components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      if (!schema.contains(components[i].getName())) {
        throw new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND,
            "record " + type.getSimpleName() + " has the component '"
            + components[i].getName() + "' but the frame has no such column; its columns are: "
            + String.join(", ", schema.names()));
      }
    }
    try {
      this.constructor = type.getDeclaredConstructor(types);
      this.constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "record " + type.getName() + " has no canonical constructor", e);
    }
  }

  public R map(Map<String, Object> row) {
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = convert(components[i], row.get(components[i].getName()));
    }
    try {
      return constructor.newInstance(args);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "cannot build " + type.getSimpleName() + " from " + row + ": " + e.getMessage(), e);
    }
  }

  private Object convert(RecordComponent c, Object value) {
    Class<?> t = c.getType();
    if (value == null) {
      if (t.isPrimitive()) {
        throw new NeuralakeException(ErrorCode.TYPE_MISMATCH,
            "column '" + c.getName() + "' is null, but " + type.getSimpleName()
            + "." + c.getName() + " is a primitive " + t + "; use its boxed type to accept nulls");
      }
      return null;
    }
    if (value instanceof Number n) {
      if (t == long.class || t == Long.class) {
        return n.longValue();
      }
      if (t == int.class || t == Integer.class) {
        return Math.toIntExact(n.longValue());
      }
      if (t == short.class || t == Short.class) {
        return n.shortValue();
      }
      if (t == byte.class || t == Byte.class) {
        return n.byteValue();
      }
      if (t == double.class || t == Double.class) {
        return n.doubleValue();
      }
      if (t == float.class || t == Float.class) {
        return n.floatValue();
      }
      if (t == BigDecimal.class) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
      }
    }
    return value;
  }
}
