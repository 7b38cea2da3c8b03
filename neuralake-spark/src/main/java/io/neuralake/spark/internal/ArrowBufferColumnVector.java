package io.neuralake.spark.internal;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A fixed-width Arrow vector (booleans, integers, floats, dates, timestamps, decimals of up to 18
 * digits) as Spark reads it: each value straight from the vector's off-heap buffers, as Spark's own
 * off-heap column vectors read theirs. Spark's {@link ArrowColumnVector} reads every value through
 * Arrow's accessors, which check bounds and nullness on each call and build a {@code BigDecimal}
 * per decimal; its code generated for a scan calls these getters once per value. Other vectors
 * (strings, binary, nested) stay {@link ArrowColumnVector}s.
 */
final class ArrowBufferColumnVector extends ColumnVector {
  private final FieldVector vector;
  private final long data;
  private final long validity;
  private final boolean hasNull;

  private ArrowBufferColumnVector(DataType type, FieldVector vector) {
    super(type);
    this.vector = vector;
    this.data = vector.getDataBufferAddress();
    this.validity = vector.getValidityBufferAddress();
    this.hasNull = vector.getNullCount() > 0;
  }

  /** Spark's column vector for an Arrow vector of a batch: this class where it applies, else Spark's own. */
  static ColumnVector of(FieldVector vector) {
    ArrowColumnVector spark = new ArrowColumnVector(vector);
    boolean fixed = switch (vector) {
      case BitVector v -> true;
      case TinyIntVector v -> true;
      case SmallIntVector v -> true;
      case IntVector v -> true;
      case BigIntVector v -> true;
      case Float4Vector v -> true;
      case Float8Vector v -> true;
      case DateDayVector v -> true;
      case TimeStampMicroVector v -> true;
      case TimeStampMicroTZVector v -> true;
      case DecimalVector v -> v.getPrecision() <= Decimal.MAX_LONG_DIGITS();
      default -> false;
    };
    return fixed && vector.getValueCount() > 0 ? new ArrowBufferColumnVector(spark.dataType(), vector) : spark;
  }

  @Override
  public void close() {
    // the batch's reader owns the vector
  }

  @Override
  public boolean hasNull() {
    return hasNull;
  }

  @Override
  public int numNulls() {
    return vector.getNullCount();
  }

  @Override
  public boolean isNullAt(int rowId) {
    return hasNull && (Platform.getByte(null, validity + (rowId >> 3)) & (1 << (rowId & 7))) == 0;
  }

  @Override
  public boolean getBoolean(int rowId) {
    return (Platform.getByte(null, data + (rowId >> 3)) & (1 << (rowId & 7))) != 0;
  }

  @Override
  public byte getByte(int rowId) {
    return Platform.getByte(null, data + rowId);
  }

  @Override
  public short getShort(int rowId) {
    return Platform.getShort(null, data + 2L * rowId);
  }

  @Override
  public int getInt(int rowId) {
    return Platform.getInt(null, data + 4L * rowId);
  }

  @Override
  public long getLong(int rowId) {
    return Platform.getLong(null, data + 8L * rowId);
  }

  @Override
  public float getFloat(int rowId) {
    return Platform.getFloat(null, data + 4L * rowId);
  }

  @Override
  public double getDouble(int rowId) {
    return Platform.getDouble(null, data + 8L * rowId);
  }

  /** Arrow's decimals are 16-byte little-endian two's complement: up to 18 digits fit their low 8 bytes. */
  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    return isNullAt(rowId) ? null : Decimal.createUnsafe(Platform.getLong(null, data + 16L * rowId), precision, scale);
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnarMap getMap(int rowId) {
    throw unsupported();
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    throw unsupported();
  }

  @Override
  public byte[] getBinary(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    throw unsupported();
  }

  private UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("a " + dataType() + " column has no such values");
  }
}
