package io.neuralake.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Type names as users declare them and as the engine reports them. */
class TypeParserTest {
  @Test
  void everySpellingOfAPrimitiveParsesToIt() {
    assertThat(List.of("int64", "I64", "bigint", "LONG", " int64 ")).allMatch(t -> DataType.parse(t).equals(DataType.INT64));
    assertThat(List.of("string", "VARCHAR", "text", "str")).allMatch(t -> DataType.parse(t).equals(DataType.STRING));
    assertThat(DataType.parse("TIMESTAMP WITH TIME ZONE")).isEqualTo(DataType.TIMESTAMP_TZ);
    assertThat(DataType.parse("timestamp_ntz")).isEqualTo(DataType.TIMESTAMP);
    assertThat(DataType.parse("uinteger")).isEqualTo(DataType.UINT32);
  }

  @Test
  void decimalsDefaultAndValidate() {
    assertThat(DataType.parse("decimal")).isEqualTo(DataType.decimal(38, 9));
    assertThat(DataType.parse("NUMERIC( 10 , 2 )")).isEqualTo(DataType.decimal(10, 2));
    assertThat(DataType.parse("decimal(5)")).isEqualTo(DataType.decimal(5, 0));
    assertThatThrownBy(() -> DataType.parse("decimal(40,2)")).hasMessageContaining("precision must be 1..38");
    assertThatThrownBy(() -> DataType.parse("decimal(3,4)")).hasMessageContaining("scale 0..precision");
  }

  @Test
  void malformedDecimalsAreParseErrorsNamingTheText() {
    for (String bad : List.of("decimal(", "decimal()", "decimal(x,2)", "decimal(10,)", "decimal(99999999999,2)",
        "decimal(-1,0)", "decimal(10,2")) {
      assertThatThrownBy(() -> DataType.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void nestedTypesInBothNotations() {
    DataType listOfLists = DataType.list(DataType.list(DataType.INT32));
    assertThat(DataType.parse("list<list<int32>>")).isEqualTo(listOfLists);
    assertThat(DataType.parse("INTEGER[][]")).isEqualTo(listOfLists);
    assertThat(DataType.parse("array(integer[])")).isEqualTo(listOfLists);
    assertThat(DataType.parse("MAP(VARCHAR, DOUBLE[])"))
        .isEqualTo(DataType.map(DataType.STRING, DataType.list(DataType.FLOAT64)));
    assertThat(DataType.parse("STRUCT(\"spike count\" INTEGER, \"a\"\"b\" VARCHAR)")).isEqualTo(
        DataType.struct(Field.of("spike count", DataType.INT32), Field.of("a\"b", DataType.STRING)));
    assertThat(DataType.parse("struct<名前: string, n:int64>")).isEqualTo(
        DataType.struct(Field.of("名前", DataType.STRING), Field.of("n", DataType.INT64)));
  }

  @Test
  void typeNamesParseBackToTheSameType() {
    List<DataType> types = List.of(DataType.BOOLEAN, DataType.UINT64, DataType.FLOAT32, DataType.BINARY, DataType.TIME,
        DataType.TIMESTAMP, DataType.TIMESTAMP_TZ, DataType.decimal(12, 3), DataType.list(DataType.DATE),
        DataType.map(DataType.STRING, DataType.list(DataType.INT16)),
        DataType.struct(Field.of("a", DataType.INT8), Field.of("b", DataType.list(DataType.STRING))),
        // names that are not plain words: spaces, quotes, the parser's own signs
        DataType.struct(Field.of("spike count", DataType.INT64), Field.of("a\"b", DataType.STRING),
            Field.of("x: y", DataType.INT32), Field.of("<,>", DataType.INT32)));
    for (DataType t : types) {
      assertThat(DataType.parse(t.typeName())).as(t.typeName()).isEqualTo(t);
      assertThat(DataType.parse(t.sqlName())).as(t.sqlName()).isEqualTo(t);
    }
  }

  @Test
  void unknownOrTruncatedTypesNameTheTextAndTheKnownNames() {
    for (String bad : List.of("", "   ", "int65", "list<", "list<>", "map<string>", "struct<a int64", "int64 x",
        "list<int64>>", "INTEGER[", "struct<>")) {
      assertThatThrownBy(() -> DataType.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot parse the type").hasMessageContaining("int64");
    }
  }

  @Test
  void deeplyNestedTypesAreRefusedWithAMessageNotAStackOverflow() {
    String deep = "list<".repeat(50_000) + "int64" + ">".repeat(50_000);
    assertThatThrownBy(() -> DataType.parse(deep)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nest");
  }
}
