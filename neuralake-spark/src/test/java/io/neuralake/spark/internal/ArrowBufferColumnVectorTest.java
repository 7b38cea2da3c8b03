package io.neuralake.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.junit.jupiter.api.Test;

/** Fixed-width vectors read from their buffers give what Spark's own Arrow reader gives, NULLs included. */
class ArrowBufferColumnVectorTest {
  static final int ROWS = 1_000;

  @Test
  void everyFixedWidthTypeReadsAsSparksArrowReaderReadsIt() {
    try (BufferAllocator allocator = new RootAllocator();
        BitVector bools = new BitVector("b", allocator);
        TinyIntVector bytes = new TinyIntVector("i8", allocator);
        SmallIntVector shorts = new SmallIntVector("i16", allocator);
        IntVector ints = new IntVector("i32", allocator);
        BigIntVector longs = new BigIntVector("i64", allocator);
        Float4Vector floats = new Float4Vector("f32", allocator);
        Float8Vector doubles = new Float8Vector("f64", allocator);
        DateDayVector dates = new DateDayVector("d", allocator);
        TimeStampMicroTZVector times = new TimeStampMicroTZVector("ts", allocator, "UTC");
        DecimalVector decimals = new DecimalVector("dec", allocator, 18, 3);
        DecimalVector wide = new DecimalVector("wide", allocator, 30, 2)) {
      List<FieldVector> all = List.of(bools, bytes, shorts, ints, longs, floats, doubles, dates, times, decimals, wide);
      all.forEach(v -> v.setInitialCapacity(ROWS));
      all.forEach(FieldVector::allocateNew);
      for (int i = 0; i < ROWS; i++) {
        if (i % 7 == 3) {
          continue; // NULL in every column
        }
        int sign = i % 2 == 0 ? 1 : -1;
        bools.setSafe(i, i % 3 == 0 ? 1 : 0);
        bytes.setSafe(i, (byte) (sign * i));
        shorts.setSafe(i, (short) (sign * i * 31));
        ints.setSafe(i, sign * i * 100_003);
        longs.setSafe(i, sign * i * 10_000_000_019L);
        floats.setSafe(i, sign * i / 3f);
        doubles.setSafe(i, sign * i / 7.0);
        dates.setSafe(i, sign * i * 11);
        times.setSafe(i, sign * i * 86_400_000_123L);
        decimals.setSafe(i, new BigDecimal(sign * i * 1_000_000_000_007L).movePointLeft(3)
            .max(new BigDecimal("-999999999999999.999")).min(new BigDecimal("999999999999999.999")));
        wide.setSafe(i, new BigDecimal(sign * (long) i).movePointRight(20).movePointLeft(2));
      }
      all.forEach(v -> v.setValueCount(ROWS));
      for (FieldVector v : all) {
        ColumnVector fast = ArrowBufferColumnVector.of(v);
        ArrowColumnVector spark = new ArrowColumnVector(v);
        assertThat(fast.dataType()).isEqualTo(spark.dataType());
        assertThat(fast.hasNull()).isTrue();
        assertThat(fast.numNulls()).isEqualTo(spark.numNulls());
        if (v == wide) {
          assertThat(fast).as("wider than a long: Spark's own reader").isInstanceOf(ArrowColumnVector.class);
          continue;
        }
        assertThat(fast).as(v.getName()).isInstanceOf(ArrowBufferColumnVector.class);
        for (int i = 0; i < ROWS; i++) {
          assertThat(fast.isNullAt(i)).isEqualTo(spark.isNullAt(i));
          if (!spark.isNullAt(i)) {
            assertThat(value(fast, i)).as(v.getName() + " row " + i).isEqualTo(value(spark, i));
          }
        }
      }
    }
  }

  @Test
  void variableWidthAndEmptyVectorsStaySparks() {
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector strings = new VarCharVector("s", allocator);
        IntVector empty = new IntVector("e", allocator)) {
      strings.allocateNew();
      strings.setSafe(0, "a".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      strings.setValueCount(1);
      empty.allocateNew();
      empty.setValueCount(0);
      assertThat(ArrowBufferColumnVector.of(strings)).isInstanceOf(ArrowColumnVector.class);
      assertThat(ArrowBufferColumnVector.of(empty)).isInstanceOf(ArrowColumnVector.class);
    }
  }

  private static Object value(ColumnVector c, int i) {
    var t = c.dataType();
    if (t.equals(DataTypes.BooleanType)) {
      return c.getBoolean(i);
    } else if (t.equals(DataTypes.ByteType)) {
      return c.getByte(i);
    } else if (t.equals(DataTypes.ShortType)) {
      return c.getShort(i);
    } else if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.DateType)) {
      return c.getInt(i);
    } else if (t.equals(DataTypes.LongType) || t.equals(DataTypes.TimestampType)) {
      return c.getLong(i);
    } else if (t.equals(DataTypes.FloatType)) {
      return c.getFloat(i);
    } else if (t.equals(DataTypes.DoubleType)) {
      return c.getDouble(i);
    }
    var d = (org.apache.spark.sql.types.DecimalType) t;
    return c.getDecimal(i, d.precision(), d.scale()).toJavaBigDecimal();
  }
}
