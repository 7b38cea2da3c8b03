package io.neuralake.filter;

import io.neuralake.NeuralakeException;
import io.neuralake.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a careless user or an attacker types as a filter: quotes, scripts, odd numbers, empty and huge input. */
class FilterParserEdgeCasesTest {
  @Test
  void quotesInsideValuesAreDoubledAndSignsInsideQuotesAreText() {
    assertThat(Filter.parse("name = 'O''Brien'").value()).isEqualTo("O'Brien");
    assertThat(Filter.parse("name = \"say \"\"hi\"\"\"").value()).isEqualTo("say \"hi\"");
    assertThat(Filter.parse("name = 'a = b, c]'").value()).isEqualTo("a = b, c]");
    assertThat(Filter.parse("name in ['a,b', \"c)\"]").value()).isEqualTo(List.of("a,b", "c)"));
    assertThat(Filter.parse("name = '; DROP TABLE t; --'").value()).isEqualTo("; DROP TABLE t; --");
    assertThat(Filter.parse("name = ''").value()).isEqualTo("");
  }

  @Test
  void unicodeValuesAndColumnsStayAsWritten() {
    assertThat(Filter.parse("名前 = 'データ'")).isEqualTo(Filter.eq("名前", "データ"));
    assertThat(Filter.parse("\"emoji 🙂\" contains '🙂'")).isEqualTo(Filter.contains("emoji 🙂", "🙂"));
    assertThat(Filter.parse("city in ['Zürich', 'Αθήνα']").value()).isEqualTo(List.of("Zürich", "Αθήνα"));
  }

  @Test
  void numbersKeepTheirPrecisionAndBareWordsStayText() {
    assertThat(Filter.parse("x = 99999999999999999999").value()).isEqualTo(new BigInteger("99999999999999999999"));
    assertThat(Filter.parse("x = -9223372036854775808").value()).isEqualTo(Long.MIN_VALUE);
    assertThat(Filter.parse("x >= .5").value()).isEqualTo(0.5);
    assertThat(Filter.parse("x < -2.5E-3").value()).isEqualTo(-0.0025);
    assertThat(Filter.parse("x = +7").value()).isEqualTo(7L);
    // NaN, Infinity and null are not number or null literals here: they are the words as written
    assertThat(Filter.parse("x = NaN").value()).isEqualTo("NaN");
    assertThat(Filter.parse("x = null").value()).isEqualTo("null");
    assertThat(Filter.parse("x = 1.2.3").value()).isEqualTo("1.2.3");
  }

  @Test
  void operatorsAreCaseAndSpaceInsensitive() {
    assertThat(Filter.parse("x NOT   IN [1]")).isEqualTo(Filter.notIn("x", 1L));
    assertThat(Filter.parse("x Includes ANY (1, 2)")).isEqualTo(Filter.includesAny("x", 1L, 2L));
    assertThat(Filter.parse("x<>3")).isEqualTo(Filter.ne("x", 3L));
    assertThat(Filter.parse("  x==3  ")).isEqualTo(Filter.eq("x", 3L));
    assertThat(Filter.parse("index = 1")).isEqualTo(Filter.eq("index", 1L)); // a column that starts like 'in'
  }

  @Test
  void emptyListsAreEmptyAndListOperatorsWrapOneValue() {
    assertThat(Filter.parse("x in []").value()).isEqualTo(List.of());
    assertThat(Filter.parse("x not in ( )").value()).isEqualTo(List.of());
    assertThat(Filter.parse("x in 5").value()).isEqualTo(List.of(5L));
  }

  @Test
  void aMissingValueInAListIsAnErrorNotAnEmptyString() {
    assertThatThrownBy(() -> Filter.parse("x in [1,,2]"))
        .hasMessageContaining("cannot read the value in the filter 'x in [1,,2]'").hasMessageContaining("missing");
    assertThatThrownBy(() -> Filter.parse("x in [1, ]")).hasMessageContaining("missing");
    assertThatThrownBy(() -> Filter.parse("x in [, 1]")).hasMessageContaining("missing");
  }

  @Test
  void malformedFiltersNameTheTextAndTheFix() {
    for (String bad : List.of("", "   ", "x", "x =", "= 5", "x => 5", "x = = 5", "\"\" = 1", "x ~ 5", "5 = x")) {
      assertThatThrownBy(() -> Filter.parse(bad)).as(bad)
          .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER))
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> Filter.parse("x = 'open")).hasMessageContaining("not closed");
    assertThatThrownBy(() -> Filter.parse("x in [1, 2")).hasMessageContaining("must end with ]");
    assertThatThrownBy(() -> Filter.parse("x = 'a' b")).hasMessageContaining("unexpected text after the value");
    assertThatThrownBy(() -> Filter.parse("x = [1, 2]")).hasMessageContaining("use 'in'");
  }

  @Test
  void veryLongInputParsesInLinearTime() {
    String longValue = "v".repeat(200_000);
    assertThat(Filter.parse("x = '" + longValue + "'").value()).isEqualTo(longValue);
    String spaces = " ".repeat(50_000);
    // runs of spaces are where a careless pattern backtracks quadratically
    assertThat(Filter.parse("x =" + spaces + "'a" + spaces + "b'" + spaces).value()).isEqualTo("a" + spaces + "b");
    String many = "[" + "1, ".repeat(50_000) + "2]";
    assertThat(Filter.parse("x in " + many).values()).hasSize(50_001);
  }

  @Test
  void deeplyNestedListsAreRefusedWithAMessageNotAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> Filter.parse("x in " + deep))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER))
        .hasMessageContaining("nest");
  }
}
