package io.neuralake.server.internal.flight;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.server.User;
import io.neuralake.server.Users;
import io.neuralake.server.internal.Authenticator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator.AuthResult;
import org.junit.jupiter.api.Test;

/** Logins give session tokens that expire; configured tokens work as bearers; an open server lets all in. */
class FlightAuthTest {
  static final String TOKEN = "token-for-auth-tests-0001";
  static final String PASSWORD = "password-for-auth-tests";

  /** A clock the test moves. */
  static final class Manual extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static CallHeaders headers(String authorization) {
    FlightCallHeaders h = new FlightCallHeaders();
    if (authorization != null) {
      h.insert("Authorization", authorization);
    }
    return h;
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
  }

  private static String bearerOf(AuthResult login) {
    CallHeaders out = new FlightCallHeaders();
    login.appendToOutgoingHeaders(out);
    return out.get("Authorization");
  }

  @Test
  void aLoginGivesASessionTokenUntilItExpires() {
    Manual clock = new Manual();
    FlightAuth auth = new FlightAuth(new Authenticator(Users.of(User.withToken("ada", TOKEN).password(PASSWORD))),
        clock);
    AuthResult login = auth.authenticate(headers(basic("ada", PASSWORD)));
    assertThat(login.getPeerIdentity()).isEqualTo("ada");
    String bearer = bearerOf(login);
    assertThat(bearer).startsWith("Bearer nls_").doesNotContain(PASSWORD).doesNotContain(TOKEN);
    assertThat(auth.authenticate(headers(bearer)).getPeerIdentity()).isEqualTo("ada");
    assertThat(auth.principal("ada").name()).isEqualTo("ada");

    clock.now = clock.now.plus(FlightAuth.SESSION_LIFETIME).plus(Duration.ofSeconds(1));
    assertThatThrownBy(() -> auth.authenticate(headers(bearer)))
        .isInstanceOfSatisfying(FlightRuntimeException.class, e ->
            assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
    // the configured token is no session: it does not expire
    assertThat(auth.authenticate(headers("Bearer " + TOKEN)).getPeerIdentity()).isEqualTo("ada");
  }

  @Test
  void twoLoginsGetDifferentTokens() {
    FlightAuth auth = new FlightAuth(new Authenticator(Users.of(User.withPassword("ada", PASSWORD))), new Manual());
    assertThat(bearerOf(auth.authenticate(headers(basic("ada", PASSWORD)))))
        .isNotEqualTo(bearerOf(auth.authenticate(headers(basic("ada", PASSWORD)))));
  }

  @Test
  void malformedOrMissingCredentialsAreUnauthenticated() {
    FlightAuth auth = new FlightAuth(new Authenticator(Users.of(User.withPassword("ada", PASSWORD))), new Manual());
    for (String header : new String[] {null, "Basic !!!not-base64", basic("ada", "wrong-password-here"),
        "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(UTF_8)), "Bearer ", "Token abc"}) {
      assertThatThrownBy(() -> auth.authenticate(headers(header))).as(String.valueOf(header))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e ->
              assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
    }
  }

  @Test
  void anOpenServerLetsEveryCallInAsAnonymous() {
    FlightAuth auth = new FlightAuth(new Authenticator(Users.none()), new Manual());
    assertThat(auth.authenticate(headers(null)).getPeerIdentity()).isEqualTo("anonymous");
    assertThat(auth.principal("anonymous").databases()).isEmpty();
  }
}
