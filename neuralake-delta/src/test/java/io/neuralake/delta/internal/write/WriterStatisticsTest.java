package io.neuralake.delta.internal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The engine's text of a written file's bounds, read back as values. */
class WriterStatisticsTest {
  @Test
  void timestampsInEveryFormTheEnginePrints() {
    assertThat(WriterStatistics.value("'2024-01-02 03:04:05+00'", TimestampType.TIMESTAMP))
        .isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    assertThat(WriterStatistics.value("'2024-01-02 03:04:05.123456+00'", TimestampType.TIMESTAMP))
        .isEqualTo(Instant.parse("2024-01-02T03:04:05.123456Z"));
    assertThat(WriterStatistics.value("'2024-01-02 08:34:05.5+05:30'", TimestampType.TIMESTAMP))
        .isEqualTo(Instant.parse("2024-01-02T03:04:05.5Z"));
    assertThat(WriterStatistics.value("'2024-01-01 22:04:05-05'", TimestampType.TIMESTAMP))
        .isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    assertThat(WriterStatistics.value("'2024-01-02 03:04:05.000001'", TimestampNTZType.TIMESTAMP_NTZ))
        .isEqualTo(LocalDateTime.parse("2024-01-02T03:04:05.000001"));
  }

  @Test
  void numbersDatesAndText() {
    assertThat(WriterStatistics.value("-42", IntegerType.INTEGER)).isEqualTo(-42L);
    assertThat(WriterStatistics.value("inf", DoubleType.DOUBLE)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(WriterStatistics.value("-inf", FloatType.FLOAT)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(WriterStatistics.value("1.5e-07", DoubleType.DOUBLE)).isEqualTo(1.5e-7);
    assertThat(WriterStatistics.value("-12.500", new DecimalType(30, 3))).isEqualTo(new BigDecimal("-12.500"));
    assertThat(WriterStatistics.value("2024-02-29", DateType.DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(WriterStatistics.value("'quoted' text", StringType.STRING)).isEqualTo("'quoted' text");
  }

  @Test
  void whatDoesNotParseIsAnError() {
    // the caller then leaves the bound out (no skipping by it) rather than guessing
    assertThatThrownBy(() -> WriterStatistics.value("5877642-06-25 (BC)", DateType.DATE)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> WriterStatistics.value("'infinity'", TimestampType.TIMESTAMP)).isInstanceOf(RuntimeException.class);
  }
}
