package io.neuralake.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.types.DataType;
import org.junit.jupiter.api.Test;

/** Which database types a declared type may read. */
class DeclaredColumnsTest {
  @Test
  void wideningAndTextAreReadable() {
    assertThat(DeclaredColumns.canRead(DataType.INT32, DataType.INT64)).isTrue();
    assertThat(DeclaredColumns.canRead(DataType.INT64, DataType.decimal(20, 0))).isTrue();
    assertThat(DeclaredColumns.canRead(DataType.FLOAT32, DataType.FLOAT64)).isTrue();
    assertThat(DeclaredColumns.canRead(DataType.decimal(10, 2), DataType.decimal(12, 3))).isTrue();
    assertThat(DeclaredColumns.canRead(DataType.DATE, DataType.TIMESTAMP)).isTrue();
    assertThat(DeclaredColumns.canRead(DataType.INT64, DataType.STRING)).isTrue();
  }

  @Test
  void narrowingIsNot() {
    assertThat(DeclaredColumns.canRead(DataType.INT64, DataType.INT32)).isFalse();
    assertThat(DeclaredColumns.canRead(DataType.STRING, DataType.INT32)).isFalse();
    assertThat(DeclaredColumns.canRead(DataType.decimal(12, 3), DataType.decimal(10, 2))).isFalse();
    assertThat(DeclaredColumns.canRead(DataType.TIMESTAMP, DataType.DATE)).isFalse();
    assertThat(DeclaredColumns.canRead(DataType.list(DataType.STRING), DataType.STRING)).isFalse();
  }
}
