package io.neuralake.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.frame.Frame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filters written as text: the column names people really have, and the values they type. */
class FilterParserTest {
  @Test
  void bareColumnNamesMayUseAnyLetters() {
    assertThat(Filter.parse("température >= 36.5")).isEqualTo(Filter.ge("température", 36.5));
    assertThat(Filter.parse("会话 = 'a'")).isEqualTo(Filter.eq("会话", "a"));
    assertThat(Filter.parse("_id2 in [1, 2]")).isEqualTo(Filter.in("_id2", List.of(1L, 2L)));
  }

  @Test
  void quotedColumnNamesMayHoldSpacesQuotesAndOperators() {
    assertThat(Filter.parse("\"spike count\" > 3")).isEqualTo(Filter.gt("spike count", 3L));
    assertThat(Filter.parse("\"a \"\"b\"\" = c\" = 'x'")).isEqualTo(Filter.eq("a \"b\" = c", "x"));
    assertThat(Filter.parse("\"date\" = '2024-04-28'")).isEqualTo(Filter.eq("date", "2024-04-28"));
  }

  @Test
  void namesWithSpacesAndOtherScriptsFilterRealRows() {
    Map<String, List<?>> columns = new LinkedHashMap<>();
    columns.put("spike count", List.of(1L, 5L, 9L));
    columns.put("température", List.of(36.0, 37.5, 38.0));
    Frame frame = Frame.fromColumns(columns);
    assertThat(frame.filter(Filter.parse("\"spike count\" > 3"), Filter.parse("température < 38")).count())
        .isEqualTo(1);
  }

  @Test
  void valuesKeepTheirTypes() {
    assertThat(Filter.parse("x = 'it''s'").value()).isEqualTo("it's");
    assertThat(Filter.parse("x = -7").value()).isEqualTo(-7L);
    assertThat(Filter.parse("x = 1e3").value()).isEqualTo(1000.0);
    assertThat(Filter.parse("x = TRUE").value()).isEqualTo(true);
    assertThat(Filter.parse("x not in ('a', \"b\")").value()).isEqualTo(List.of("a", "b"));
    assertThat(Filter.parse("x includes any 3").value()).isEqualTo(List.of(3L));
  }

  @Test
  void wordOperatorsNeedSpaces() {
    assertThat(Filter.parse("name = x")).isEqualTo(Filter.eq("name", "x"));
    assertThatThrownBy(() -> Filter.parse("spike count > 3"))
        .hasMessageContaining("cannot read the filter 'spike count > 3'")
        .hasMessageContaining("double quotes");
  }
}
