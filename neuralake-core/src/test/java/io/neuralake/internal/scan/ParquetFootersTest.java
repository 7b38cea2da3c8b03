package io.neuralake.internal.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading a Parquet file's footer length from its tail, and naming a file that is not Parquet. */
class ParquetFootersTest {
  private static final ObjectInfo FILE = new ObjectInfo(Location.parse("s3://b/t/f.parquet"), 10_000, Instant.EPOCH, "e");

  private static byte[] tail(int footerLength, String magic) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put(new byte[8]).putInt(footerLength)
        .put(magic.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).array();
  }

  @Test
  void theLengthIsTheLittleEndianIntBeforeTheMagic() throws Exception {
    assertThat(ParquetFooters.footerLength(FILE, tail(758, "PAR1"))).isEqualTo(758);
  }

  @Test
  void aFileThatIsNotParquetIsNamedAsDamaged() {
    assertThatThrownBy(() -> ParquetFooters.footerLength(FILE, tail(758, "PAR0")))
        .hasMessageContaining("the file s3://b/t/f.parquet cannot be read (it does not end with the Parquet magic bytes)")
        .hasMessageContaining("rewrite or remove it")
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.CORRUPT_FILE));
    assertThatThrownBy(() -> ParquetFooters.footerLength(FILE, tail(20_000, "PAR1")))
        .hasMessageContaining("its footer length 20000 does not fit its 10000 bytes");
    assertThatThrownBy(() -> ParquetFooters.footerLength(FILE, tail(-1, "PAR1")))
        .hasMessageContaining("footer length -1");
  }
}
