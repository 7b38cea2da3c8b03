package io.neuralake.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.types.DataType;
import java.sql.Types;
import org.junit.jupiter.api.Test;

/** Metadata to our types: the JDBC type first, the database's type name where the JDBC type is too coarse. */
class RemoteTypesTest {
  static DataType type(String remote, int jdbcType) {
    return RemoteTypes.type("lab.t", "c", remote, jdbcType, 10, 2);
  }

  @Test
  void theJdbcTypeNamesMostTypesWhateverTheDatabaseCallsThem() {
    assertThat(type("character varying", Types.VARCHAR)).isEqualTo(DataType.STRING);
    assertThat(type("tinyint", Types.TINYINT)).isEqualTo(DataType.INT16);
    assertThat(type("bool", Types.BIT)).isEqualTo(DataType.BOOLEAN);
    assertThat(type("numeric", Types.NUMERIC)).isEqualTo(DataType.decimal(10, 2));
    assertThat(type("timestamp with time zone", Types.TIMESTAMP_WITH_TIMEZONE)).isEqualTo(DataType.TIMESTAMP_TZ);
  }

  @Test
  void theNameCorrectsWhatTheJdbcTypeGetsWrong() {
    assertThat(type("timestamptz", Types.TIMESTAMP)).as("PostgreSQL's zoned timestamp").isEqualTo(DataType.TIMESTAMP_TZ);
    assertThat(type("uuid", Types.BINARY)).as("H2's uuid").isEqualTo(DataType.STRING);
    assertThat(type("json", Types.OTHER)).isEqualTo(DataType.STRING);
    assertThat(type("_int4", Types.ARRAY)).isEqualTo(DataType.list(DataType.INT32));
    assertThat(type("character varying(10) array", Types.ARRAY)).isEqualTo(DataType.list(DataType.STRING));
    assertThat(type("date array", Types.ARRAY)).isEqualTo(DataType.list(DataType.DATE));
  }

  @Test
  void whatWeCannotReadIsNamedWithTableAndColumn() {
    assertThatThrownBy(() -> type("timetz", Types.TIME)).as("a time with an offset is not a local time")
        .hasMessageContaining("table lab.t: column 'c' is of type timetz");
    assertThatThrownBy(() -> type("interval day to second", Types.OTHER))
        .hasMessageContaining("column 'c' is of type interval day to second");
    assertThatThrownBy(() -> type("geometry array", Types.ARRAY)).hasMessageContaining("is an array of geometry");
  }
}
