package io.neuralake.internal.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.table.Partition;
import io.neuralake.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Partition values from folder names, typed filter values, and the predicate that prunes folders with them. */
class PartitionValuesTest {
  private static final List<Partition> ID_DATE = List.of(Partition.of("id", DataType.INT64), Partition.of("date", DataType.DATE));

  private static PartitionPredicate predicate(Filters required, List<Partition> partitions) {
    return new PartitionPredicate("t", required, Filters.none(), partitions);
  }

  private static Map<String, Object> known(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void folderNamesUnescapeAsHiveAndUriEncodersWriteThem() {
    assertThat(PathValues.unescape("a%3Db%2Fc")).isEqualTo("a=b/c");
    assertThat(PathValues.unescape("Z%C3%BCrich")).isEqualTo("Zürich");
    assertThat(PathValues.unescape("100%")).isEqualTo("100%");
    assertThat(PathValues.unescape("50%zz")).isEqualTo("50%zz");
    assertThat(PathValues.unescape("a+b")).isEqualTo("a+b");
    assertThat(PathValues.unescape("%")).isEqualTo("%");
    for (String v : List.of("a=b/c", "*?[", "x:y", "%41", "tab\there", "日本", "'\"", "")) {
      assertThat(PathValues.unescape(PathValues.escape(v))).as(v).isEqualTo(v);
    }
    assertThat(PathValues.escape("a/../b")).doesNotContain("/");
  }

  @Test
  void valuesWithOneSpellingAreOnlyThoseThatAreTheirOwnFolderName() {
    assertThat(PathValues.hasOneSpelling("2024-04-28")).isTrue();
    assertThat(PathValues.hasOneSpelling("a/b")).isFalse();
    assertThat(PathValues.hasOneSpelling("10:00")).isFalse();
    // '.' and '..' name no folder of their own; resolving them would leave the table's folder
    assertThat(PathValues.hasOneSpelling("..")).isFalse();
    assertThat(PathValues.hasOneSpelling(".")).isFalse();
    assertThat(PathValues.format(null)).isEqualTo(TypedValues.HIVE_NULL);
    assertThat(PathValues.format(LocalDateTime.of(2024, 1, 2, 3, 4, 5))).isEqualTo("2024-01-02 03:04:05");
  }

  @Test
  void pathValuesParseToTheColumnTypeAndNamesTheFolderWhenTheyDoNot() {
    assertThat(TypedValues.parsePathValue("t", "id", "0042", DataType.INT64, "p")).isEqualTo(42L);
    assertThat(TypedValues.parsePathValue("t", "d", TypedValues.HIVE_NULL, DataType.DATE, "p")).isNull();
    assertThat(TypedValues.parsePathValue("t", "ts", "2024-01-02 03%3A04%3A05", DataType.TIMESTAMP, "p"))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
    assertThat(TypedValues.parsePathValue("t", "f", "NaN", DataType.FLOAT64, "p")).isEqualTo(Double.NaN);
    assertThatThrownBy(() -> TypedValues.parsePathValue("t", "id", "x1", DataType.INT64, "/lake/t/id=x1"))
        .hasMessageContaining("table 't'").hasMessageContaining("'/lake/t/id=x1'").hasMessageContaining("'id'");
    assertThatThrownBy(() -> TypedValues.parsePathValue("t", "b", "300", DataType.INT8, "p"))
        .hasMessageContaining("not a valid int8");
  }

  @Test
  void filterValuesAreCoercedStrictlyWithMessagesNamingTableColumnAndValue() {
    assertThat(TypedValues.coerceFilterValue("t", Filter.eq("d", "2024-04-28"), DataType.DATE))
        .isEqualTo(LocalDate.of(2024, 4, 28));
    assertThat(TypedValues.coerceFilterValue("t", Filter.eq("x", new BigDecimal("4.0")), DataType.INT32)).isEqualTo(4L);
    assertThat(TypedValues.coerceFilterValue("t", Filter.in("x", 1, 2L), DataType.INT16)).isEqualTo(List.of(1L, 2L));
    assertThatThrownBy(() -> TypedValues.coerceFilterValue("t", Filter.eq("x", "4"), DataType.INT64))
        .hasMessageContaining("table 't'").hasMessageContaining("'4' (a string)").hasMessageContaining("Filter.eq(\"x\", 42)");
    assertThatThrownBy(() -> TypedValues.coerceFilterValue("t", Filter.eq("x", 4.5), DataType.INT64))
        .hasMessageContaining("does not fit column 'x'");
    assertThatThrownBy(() -> TypedValues.coerceFilterValue("t", Filter.eq("x", 1L << 40), DataType.INT32))
        .hasMessageContaining("int32");
    assertThatThrownBy(() -> TypedValues.coerceFilterValue("t", Filter.eq("x", -1L), DataType.UINT8))
        .hasMessageContaining("uint8");
    assertThatThrownBy(() -> TypedValues.coerceFilterValue("t", Filter.includes("x", 1L), DataType.INT64))
        .hasMessageContaining("needs a list column");
    assertThatThrownBy(() -> TypedValues.coerceFilterValue("t", Filter.contains("x", "1"), DataType.INT64))
        .hasMessageContaining("needs a string column");
  }

  @Test
  void comparisonsFollowSqlForNullsZerosAndNaN() {
    assertThat(Comparisons.test(Filter.eq("x", 1L), 1L, null)).isFalse();
    assertThat(Comparisons.test(Filter.ne("x", 1L), 1L, null)).isFalse();
    // the engine says -0.0 = 0.0: a folder x=-0.0 must not be pruned by x = 0.0
    assertThat(Comparisons.test(Filter.eq("x", 0.0), 0.0, -0.0)).isTrue();
    assertThat(Comparisons.test(Filter.lt("x", 0.0), 0.0, -0.0)).isFalse();
    assertThat(Comparisons.test(Filter.in("x", List.of(0.0)), List.of(0.0), -0.0)).isTrue();
    // and NaN equals NaN and sorts above every number, as in the engine
    assertThat(Comparisons.test(Filter.eq("x", Double.NaN), Double.NaN, Double.NaN)).isTrue();
    assertThat(Comparisons.test(Filter.gt("x", 1e308), 1e308, Double.NaN)).isTrue();
    assertThat(Comparisons.test(Filter.eq("x", 2L), 2L, 2.0)).isTrue();
    assertThat(Comparisons.test(Filter.eq("d", new BigDecimal("1.0")), new BigDecimal("1.0"), new BigDecimal("1.00"))).isTrue();
    assertThat(Comparisons.test(Filter.in("x", List.of()), List.of(), 1L)).isFalse();
    assertThat(Comparisons.test(Filter.contains("s", "b"), "b", "abc")).isTrue();
  }

  @Test
  void notInAnEmptyListKeepsNullPartitionsAsTheEngineDoes() {
    // the engine renders `x NOT IN ()` as TRUE, so rows with a null x are read: their folder must be too
    assertThat(Comparisons.test(Filter.notIn("x", List.of()), List.of(), null)).isTrue();
    PartitionPredicate p = predicate(Filters.all(Filter.notIn("id", List.of())), ID_DATE);
    assertThat(p.mightMatch(known("id", null))).isTrue();
  }

  @Test
  void thePredicateDecidesWithTheValuesKnownSoFar() {
    PartitionPredicate p = predicate(Filters.anyOf(List.of(
        List.of(Filter.eq("id", 1L), Filter.ge("date", "2024-01-02")),
        List.of(Filter.eq("id", 2L), Filter.eq("other", "x")))), ID_DATE);
    assertThat(p.mightMatch(known("id", 1L))).isTrue();
    assertThat(p.mightMatch(known("id", 3L))).isFalse();
    assertThat(p.mightMatch(known("id", 1L, "date", LocalDate.of(2024, 1, 1)))).isFalse();
    assertThat(p.mightMatch(known("id", 2L, "date", LocalDate.of(2024, 1, 1)))).isTrue(); // 'other' is unknown
    assertThat(p.mightMatch(known("id", null))).isFalse();
    assertThat(predicate(Filters.none(), ID_DATE).mightMatch(known("id", 9L))).isTrue();
    // a disjunct without partition filters matches every folder
    assertThat(predicate(Filters.anyOf(List.of(List.of(Filter.eq("id", 1L)), List.of(Filter.eq("v", 1L)))), ID_DATE)
        .mightMatch(known("id", 5L))).isTrue();
  }

  @Test
  void hintsThatDoNotFitTheirColumnAreLeftOutButRequiredFiltersFail() {
    PartitionPredicate p = new PartitionPredicate("t", Filters.none(), Filters.all(Filter.eq("id", "abc")), ID_DATE);
    assertThat(p.mightMatch(known("id", 1L))).isTrue();
    assertThatThrownBy(() -> predicate(Filters.all(Filter.eq("id", "abc")), ID_DATE))
        .hasMessageContaining("table 't'").hasMessageContaining("'abc'");
  }

  @Test
  void leadingEqualitiesArePinnedOnlyWhenEveryDisjunctAgrees() {
    assertThat(predicate(Filters.all(Filter.eq("id", 1), Filter.eq("date", "2024-01-01")), ID_DATE)
        .leadingEqualities(ID_DATE)).containsExactly(1L, LocalDate.of(2024, 1, 1));
    assertThat(predicate(Filters.all(Filter.eq("date", "2024-01-01")), ID_DATE).leadingEqualities(ID_DATE)).isEmpty();
    assertThat(predicate(Filters.anyOf(List.of(List.of(Filter.eq("id", 1L)), List.of(Filter.eq("id", 1L), Filter.eq("v", 2L)))),
        ID_DATE).leadingEqualities(ID_DATE)).containsExactly(1L);
    assertThat(predicate(Filters.anyOf(List.of(List.of(Filter.eq("id", 1L)), List.of(Filter.eq("id", 2L)))), ID_DATE)
        .leadingEqualities(ID_DATE)).isEmpty();
  }

  @Test
  void valuesWithManySpellingsAreNeverPinnedIntoAPath() {
    // a double 1e20 may be the folder 1.0E20 (Java, Spark) or 1e+20 (DuckDB), 1.0 the folder 1: only a listing finds them
    List<Partition> score = List.of(Partition.of("score", DataType.FLOAT64));
    assertThat(predicate(Filters.all(Filter.eq("score", 1e20)), score).leadingEqualities(score)).isEmpty();
    List<Partition> idScore = List.of(Partition.of("id", DataType.INT64), Partition.of("score", DataType.FLOAT32));
    assertThat(predicate(Filters.all(Filter.eq("id", 1L), Filter.eq("score", 1.0)), idScore).leadingEqualities(idScore))
        .containsExactly(1L);
  }

  @Test
  void decimalsBinaryAndBooleansPartitionAndCompareByValue() {
    DataType dec = DataType.decimal(12, 5);
    // at the column's scale, so 1.5 and 1.50000 are one partition value
    assertThat(TypedValues.parseText("t", "d", "1.5", dec)).isEqualTo(new BigDecimal("1.50000"));
    assertThat(TypedValues.coerceFilterValue("t", Filter.eq("d", 1.5), dec)).isEqualTo(new BigDecimal("1.50000"));
    // a filter value with more digits than the column keeps them, and compares as the number it is
    assertThat(TypedValues.coerceFilterValue("t", Filter.eq("d", new BigDecimal("1.123456")), dec))
        .isEqualTo(new BigDecimal("1.123456"));
    assertThatThrownBy(() -> TypedValues.parseText("t", "d", "abc", dec))
        .hasMessageContaining("'abc' is not a valid decimal(12,5) for column 'd'");
    // 38 digits do not survive a double: compared exactly
    BigDecimal big = new BigDecimal("12345678901234567890.1234567891");
    assertThat(Comparisons.test(Filter.gt("d", big), big, big.add(new BigDecimal("1e-10")))).isTrue();
    assertThat(Comparisons.test(Filter.eq("d", 2L), new BigDecimal("2.00"), 2L)).isTrue();
    assertThat(Comparisons.test(Filter.lt("d", 0.5), 0.5, new BigDecimal("0.49999"))).isTrue();

    // binary partition values are the folder's text as UTF-8; compared unsigned, as the engine orders BLOBs
    assertThat((byte[]) TypedValues.parsePathValue("t", "b", "%C3%BC", DataType.BINARY, "p"))
        .containsExactly(0xC3, 0xBC);
    byte[] high = {(byte) 0xFF};
    byte[] low = {0x01};
    assertThat(Comparisons.test(Filter.gt("b", low), low, high)).isTrue();
    assertThat(Comparisons.test(Filter.eq("b", new byte[] {1}), new byte[] {1}, low)).isTrue();
    assertThat(Comparisons.test(Filter.in("b", List.of(high)), List.of(high), new byte[] {(byte) 0xFF})).isTrue();
    assertThatThrownBy(() -> TypedValues.coerceFilterValue("t", Filter.eq("b", "x"), DataType.BINARY))
        .hasMessageContaining("pass a byte[]");

    assertThat(TypedValues.parseText("t", "f", "true", DataType.BOOLEAN)).isEqualTo(true);
  }

  @Test
  void everyScalarTypeCanPartitionButNestedTypesCannot() {
    for (DataType t : List.of(DataType.decimal(38, 10), DataType.BINARY, DataType.BOOLEAN, DataType.TIMESTAMP,
        DataType.TIMESTAMP_TZ, DataType.DATE)) {
      assertThat(Partition.of("p", t).type()).isEqualTo(t);
    }
    assertThatThrownBy(() -> Partition.of("tags", DataType.list(DataType.STRING)))
        .hasMessageContaining("partition column 'tags' has type list<string>").hasMessageContaining("not a list, map or struct");
  }

  @Test
  void decimalAndBinaryValuesAreNeverPinnedIntoAPath() {
    List<Partition> dec = List.of(Partition.of("d", DataType.decimal(10, 2)));
    assertThat(predicate(Filters.all(Filter.eq("d", 1.5)), dec).leadingEqualities(dec)).isEmpty();
    List<Partition> bin = List.of(Partition.of("b", DataType.BINARY));
    assertThat(predicate(Filters.all(Filter.eq("b", new byte[] {0x61})), bin).leadingEqualities(bin)).isEmpty();
  }

  @Test
  void aByteArrayIsOneBinaryFilterValueNotAList() {
    Filter f = Filter.eq("b", new byte[] {(byte) 0xCA, (byte) 0xFE});
    assertThat(f.toString()).isEqualTo("b = X'CAFE'");
    assertThat(Filter.in("b", List.of(new byte[] {1}, new byte[] {2})).values()).hasSize(2);
  }
}
