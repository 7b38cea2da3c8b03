package io.neuralake.server.internal.flight;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.server.internal.Authenticator;
import io.neuralake.server.internal.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.AuthUtilities;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Who a Flight call comes from. A basic handshake (user and password, or user and token) gets a
 * random session token back as a bearer, kept in this process's memory until it expires; since
 * another replica does not know it, a user's configured token is accepted as a bearer too, so
 * clients behind a load balancer can skip the handshake. An open server lets every call in.
 */
final class FlightAuth implements CallHeaderAuthenticator {
  /** How long a session token from a handshake is good for. */
  static final Duration SESSION_LIFETIME = Duration.ofHours(12);
  /** Sessions kept at most; the ones closest to expiry go first beyond it. */
  private static final int MAX_SESSIONS = 10_000;

  private final Authenticator auth;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  private record Session(String user, Instant expires) {}

  FlightAuth(Authenticator auth, Clock clock) {
    this.auth = auth;
    this.clock = clock;
  }

  @Override
  public AuthResult authenticate(CallHeaders headers) {
    if (auth.isOpen()) {
      return () -> Principal.ANONYMOUS.name();
    }
    String bearer = AuthUtilities.getValueFromAuthHeader(headers, Auth2Constants.BEARER_PREFIX);
    if (bearer != null) {
      String user = session(bearer).or(() -> auth.bearer(bearer).map(Principal::name)).orElseThrow(() ->
          unauthenticated("the bearer token is not valid or has expired: log in again (user and password) or use"
              + " your configured token"));
      return () -> user;
    }
    String basic = AuthUtilities.getValueFromAuthHeader(headers, Auth2Constants.BASIC_PREFIX);
    if (basic != null) {
      return login(basic);
    }
    throw unauthenticated("this server needs credentials: a user and password (basic handshake), or a bearer token");
  }

  /** The principal a call authenticated as (its peer identity is the user's name). */
  Principal principal(String identity) {
    if (auth.isOpen()) {
      return Principal.ANONYMOUS;
    }
    return auth.user(identity).map(Authenticator::principal).orElseThrow(() ->
        unauthenticated("user " + identity + " is no longer known to this server"));
  }

  private AuthResult login(String basic) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(basic.strip()), UTF_8);
    } catch (IllegalArgumentException e) {
      throw unauthenticated("the basic credentials are not valid base64 of user:password");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw unauthenticated("the basic credentials are not user:password");
    }
    String name = decoded.substring(0, colon);
    Principal who = auth.password(name, decoded.substring(colon + 1)).orElseThrow(() ->
        unauthenticated("wrong user name or password"));
    String token = newSession(who.name());
    return new AuthResult() {
      @Override
      public String getPeerIdentity() {
        return who.name();
      }

      @Override
      public void appendToOutgoingHeaders(CallHeaders outgoing) {
        outgoing.insert(Auth2Constants.AUTHORIZATION_HEADER, Auth2Constants.BEARER_PREFIX + token);
      }
    };
  }

  private String newSession(String user) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> !s.expires().isAfter(now));
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expires()))
          .ifPresent(e -> sessions.remove(e.getKey()));
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = "nls_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    sessions.put(token, new Session(user, now.plus(SESSION_LIFETIME)));
    return token;
  }

  private Optional<String> session(String token) {
    Session s = sessions.get(token);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.expires().isAfter(clock.instant())) {
      sessions.remove(token);
      return Optional.empty();
    }
    return Optional.of(s.user());
  }

  private static FlightRuntimeException unauthenticated(String why) {
    return CallStatus.UNAUTHENTICATED.withDescription(why).toRuntimeException();
  }
}
