package io.neuralake.spi;

import io.neuralake.types.DataType;

/** Which stored types a declared type may read: what a declared schema accepts from a table's own. */
public final class ReadableTypes {
  private ReadableTypes() {}

  /**
   * Whether a column of type {@code from} can be read as {@code to} without losing values:
   * equal types, or a widening (integers to wider integers, decimals or double, float to double,
   * decimals to wider decimals, date to timestamp, anything but a nested type to text).
   */
  public static boolean canRead(DataType from, DataType to) {
    if (from.equals(to)) {
      return true;
    }
    if (from.isInteger() && to.isInteger()) {
      return width(from) <= width(to);
    }
    if (from.isInteger() && (to.equals(DataType.FLOAT64) || to instanceof DataType.Decimal)) {
      return true;
    }
    if (from.equals(DataType.FLOAT32) && to.equals(DataType.FLOAT64)) {
      return true;
    }
    if (from instanceof DataType.Decimal a && to instanceof DataType.Decimal b) {
      return b.scale() >= a.scale() && b.precision() - b.scale() >= a.precision() - a.scale();
    }
    if (from.equals(DataType.DATE) && (to.equals(DataType.TIMESTAMP) || to.equals(DataType.TIMESTAMP_TZ))) {
      return true;
    }
    if (to.equals(DataType.STRING)) {
      return !(from instanceof DataType.Struct) && !(from instanceof DataType.MapType) && !(from instanceof DataType.ListType);
    }
    return false;
  }

  private static int width(DataType t) {
    return switch (((DataType.Primitive) t).kind()) {
      case INT8, UINT8 -> 8;
      case INT16, UINT16 -> 16;
      case INT32, UINT32 -> 32;
      default -> 64;
    };
  }
}
