package io.neuralake.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Operator;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP door's pure parts: Accept negotiation, CSV quoting, cell text, filter operators. */
class ResultFormatTest {
  @Test
  void acceptChoosesTheFormat() {
    assertThat(ResultFormat.negotiate(null)).isEqualTo(ResultFormat.JSON);
    assertThat(ResultFormat.negotiate("*/*")).isEqualTo(ResultFormat.JSON);
    assertThat(ResultFormat.negotiate("application/csv")).isEqualTo(ResultFormat.CSV);
    assertThat(ResultFormat.negotiate("text/csv; charset=utf-8")).isEqualTo(ResultFormat.CSV);
    assertThat(ResultFormat.negotiate("application/xml, application/vnd.apache.arrow.stream;q=0.5"))
        .isEqualTo(ResultFormat.ARROW_STREAM);
    assertThat(ResultFormat.negotiate("application/json;q=0.2, application/vnd.apache.parquet"))
        .isEqualTo(ResultFormat.PARQUET);
    assertThat(ResultFormat.negotiate("application/x-ndjson, */*;q=0.1")).isEqualTo(ResultFormat.NDJSON);
    assertThat(ResultFormat.negotiate("APPLICATION/VND.APACHE.ARROW.FILE")).isEqualTo(ResultFormat.ARROW_FILE);
  }

  @Test
  void anAcceptWithNoFormatOfOursListsThem() {
    assertThatThrownBy(() -> ResultFormat.negotiate("image/png, application/json;q=0"))
        .isInstanceOf(NeuralakeException.class)
        .hasMessageContaining("image/png").hasMessageContaining("application/vnd.apache.parquet")
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.NOT_SUPPORTED));
  }

  @Test
  void csvQuotesOnlyWhatNeedsIt() {
    assertThat(CsvEncoder.quoted("plain")).isEqualTo("plain");
    assertThat(CsvEncoder.quoted("a,b")).isEqualTo("\"a,b\"");
    assertThat(CsvEncoder.quoted("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(CsvEncoder.quoted("two\nlines")).isEqualTo("\"two\nlines\"");
  }

  @Test
  void cellsAreIsoTextAndJson() {
    assertThat(Cells.text(LocalDateTime.of(2024, 4, 28, 12, 0))).isEqualTo("2024-04-28T12:00:00");
    assertThat(Cells.text(LocalDate.of(2024, 4, 28))).isEqualTo("2024-04-28");
    assertThat(Cells.text(null)).isEmpty();
    assertThat(Cells.text(new java.math.BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(Cells.text(List.of(1, "a"))).isEqualTo("[1,\"a\"]");
    assertThat(Cells.text(Map.of("k", Double.NaN))).isEqualTo("{\"k\":\"NaN\"}");
  }

  @Test
  void roapiOperatorsMapToFilterOperators() {
    assertThat(RestParams.operator("", "x")).isEqualTo(Operator.EQ);
    assertThat(RestParams.operator("lte", "x")).isEqualTo(Operator.LE);
    assertThat(RestParams.operator("gte", "x")).isEqualTo(Operator.GE);
    assertThat(RestParams.operator("contains", "x")).isEqualTo(Operator.CONTAINS);
    assertThatThrownBy(() -> RestParams.operator("le", "filter[a]le=1")).hasMessageContaining("filter[a]le=1")
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.INVALID_FILTER));
  }
}
