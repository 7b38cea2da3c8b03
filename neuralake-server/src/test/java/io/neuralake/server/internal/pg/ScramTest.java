package io.neuralake.server.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SCRAM-SHA-256 against the exchange in RFC 7677, section 3. */
class ScramTest {
  private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  private static final Scram.Secret PENCIL = Scram.Secret.derive("pencil",
      Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE
      + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

  @Test
  void theRfcExchangeVerifies() {
    Scram scram = new Scram(SERVER_NONCE);
    assertThat(scram.serverFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", PENCIL))
        .isEqualTo("r=rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    assertThat(scram.serverFinal(CLIENT_FINAL, List.of(PENCIL)))
        .contains("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  }

  @Test
  void anotherPasswordDoesNotVerify() {
    Scram scram = new Scram(SERVER_NONCE);
    Scram.Secret other = Scram.Secret.derive("crayon", PENCIL.salt(), 4096);
    scram.serverFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", other);
    assertThat(scram.serverFinal(CLIENT_FINAL, List.of(other))).isEmpty();
  }

  @Test
  void anyOfTheCandidatesMayMatch() {
    Scram scram = new Scram(SERVER_NONCE);
    Scram.Secret other = Scram.Secret.derive("crayon", PENCIL.salt(), 4096);
    scram.serverFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", other);
    assertThat(scram.serverFinal(CLIENT_FINAL, List.of(other, PENCIL))).isPresent();
  }

  @Test
  void aReplayedNonceDoesNotVerify() {
    Scram scram = new Scram("another-nonce");
    scram.serverFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", PENCIL);
    assertThat(scram.serverFinal(CLIENT_FINAL, List.of(PENCIL))).isEmpty();
  }
}
