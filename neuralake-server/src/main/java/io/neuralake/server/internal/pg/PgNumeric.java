package io.neuralake.server.internal.pg;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's binary {@code numeric}: base-10000 digits, the weight of the first one, the sign
 * and the display scale.
 */
final class PgNumeric {
  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

  private PgNumeric() {}

  static byte[] binary(BigDecimal value) {
    int scale = Math.max(value.scale(), 0);
    BigDecimal abs = value.abs().setScale(scale);
    // align the fraction to whole base-10000 digits
    int fracGroups = (scale + 3) / 4;
    BigInteger unscaled = abs.movePointRight(fracGroups * 4).toBigIntegerExact();
    List<Short> digits = new ArrayList<>();
    while (unscaled.signum() > 0) {
      BigInteger[] qr = unscaled.divideAndRemainder(TEN_THOUSAND);
      digits.add(0, qr[1].shortValue());
      unscaled = qr[0];
    }
    int weight = digits.size() - fracGroups - 1;
    while (!digits.isEmpty() && digits.get(digits.size() - 1) == 0) {
      digits.remove(digits.size() - 1);
    }
    while (!digits.isEmpty() && digits.get(0) == 0) {
      digits.remove(0);
      weight--;
    }
    if (digits.isEmpty()) {
      weight = 0;
    }
    ByteBuffer b = ByteBuffer.allocate(8 + 2 * digits.size());
    b.putShort((short) digits.size()).putShort((short) weight).putShort((short) (value.signum() < 0 ? 0x4000 : 0))
        .putShort((short) scale);
    digits.forEach(b::putShort);
    return b.array();
  }
}
