package io.neuralake.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.types.DataType;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a column's span is split into ranges. */
class RangeSplitTest {
  @Test
  void integersSplitIntoEqualWidths() {
    assertThat(RangeSplit.bounds(DataType.INT64, 1L, 100L, 4)).containsExactly(26L, 51L, 76L);
    assertThat(RangeSplit.bounds(DataType.INT32, -10L, 9L, 2)).containsExactly(0L);
  }

  @Test
  void neverMoreRangesThanValues() {
    assertThat(RangeSplit.bounds(DataType.INT32, 1L, 3L, 8)).containsExactly(2L, 3L);
    assertThat(RangeSplit.bounds(DataType.INT32, 5L, 5L, 8)).isEmpty();
  }

  @Test
  void noRowsOrOneRangeReadWhole() {
    assertThat(RangeSplit.bounds(DataType.INT64, null, null, 4)).isEmpty();
    assertThat(RangeSplit.bounds(DataType.INT64, 1L, 100L, 1)).isEmpty();
  }

  @Test
  void theWholeLongRangeSplitsWithoutOverflow() {
    List<Object> bounds = RangeSplit.bounds(DataType.INT64, Long.MIN_VALUE, Long.MAX_VALUE, 2);
    assertThat(bounds).containsExactly(0L);
  }

  @Test
  void datesSplitByDay() {
    assertThat(RangeSplit.bounds(DataType.DATE, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 4), 2))
        .containsExactly(LocalDate.of(2024, 1, 3));
    assertThat(RangeSplit.bounds(DataType.DATE, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2), 8))
        .containsExactly(LocalDate.of(2024, 1, 2));
  }

  @Test
  void timestampsSplitByMicrosecondKeepingTheirKind() {
    LocalDateTime t0 = LocalDateTime.of(2024, 1, 1, 0, 0);
    assertThat(RangeSplit.bounds(DataType.TIMESTAMP, t0, t0.plusHours(2).minusNanos(1_000), 2))
        .containsExactly(t0.plusHours(1));
    OffsetDateTime z0 = OffsetDateTime.of(2024, 1, 1, 2, 0, 0, 0, ZoneOffset.ofHours(2));
    assertThat(RangeSplit.bounds(DataType.TIMESTAMP_TZ, z0, z0.plusSeconds(3).minusNanos(1_000), 3))
        .containsExactly(OffsetDateTime.of(2024, 1, 1, 0, 0, 1, 0, ZoneOffset.UTC),
            OffsetDateTime.of(2024, 1, 1, 0, 0, 2, 0, ZoneOffset.UTC));
  }

  @Test
  void infiniteTimestampsReadWhole() {
    // PostgreSQL's 'infinity' arrives as LocalDateTime.MAX: beyond what a bound can be
    assertThat(RangeSplit.bounds(DataType.TIMESTAMP, LocalDateTime.MIN, LocalDateTime.MAX, 4)).isEmpty();
  }

  @Test
  void onlyIntegersDatesAndTimestampsSplit() {
    assertThat(RangeSplit.splittable(DataType.INT16)).isTrue();
    assertThat(RangeSplit.splittable(DataType.TIMESTAMP_TZ)).isTrue();
    assertThat(RangeSplit.splittable(DataType.STRING)).isFalse();
    assertThat(RangeSplit.splittable(DataType.FLOAT64)).isFalse();
    assertThat(RangeSplit.splittable(DataType.decimal(10, 0))).isFalse();
  }
}
