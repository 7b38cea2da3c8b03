package io.neuralake.server.internal.flight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the Flight door cuts the engine's batches into messages of about a megabyte. */
class MessageSlicesTest {
  @Test
  void aBatchUnderAMessageGoesWhole() {
    assertThat(ResultStreamer.sliceRows(1_000, 200_000)).isEqualTo(1_000);
    assertThat(ResultStreamer.sliceRows(65_536, ResultStreamer.MESSAGE_BYTES)).isEqualTo(65_536);
    assertThat(ResultStreamer.sliceRows(0, 0)).isEqualTo(1);
  }

  @Test
  void aBigBatchGoesInSlicesOfWholeValidityBytesNearTheMessageSize() {
    int rows = 65_536;
    long bytes = 9L * 1024 * 1024; // lineitem's batches: about 140 bytes a row
    int step = ResultStreamer.sliceRows(rows, bytes);
    assertThat(step % 8).isZero();
    assertThat((rows + step - 1) / step).isEqualTo(9);
    assertThat(bytes * step / rows).isLessThanOrEqualTo(ResultStreamer.MESSAGE_BYTES + bytes * 8 / rows);
  }

  @Test
  void aFewHugeRowsGoOneMessageEachAtLeastEightRows() {
    assertThat(ResultStreamer.sliceRows(8, 64L << 20)).isEqualTo(8);
    assertThat(ResultStreamer.sliceRows(100, 100L << 20)).isEqualTo(8);
  }
}
