package io.neuralake.server.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.server.User;
import io.neuralake.server.Users;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks credentials against the server's users, in constant time per comparison so a network
 * client cannot learn a secret's prefix from response times. An open server (no users) lets
 * everyone in as {@link Principal#ANONYMOUS}.
 */
public final class Authenticator {
  private final Users users;

  public Authenticator(Users users) {
    this.users = users;
  }

  /** Whether the server runs without authentication (loopback only). */
  public boolean isOpen() {
    return users.isEmpty();
  }

  /** The user a bearer token belongs to. */
  public Optional<Principal> bearer(String token) {
    if (isOpen()) {
      return Optional.of(Principal.ANONYMOUS);
    }
    if (token == null) {
      return Optional.empty();
    }
    Optional<Principal> found = Optional.empty();
    for (User u : users.all()) {
      // every user is compared, so the time taken does not say which one matched
      if (u.token().isPresent() && same(u.token().get(), token)) {
        found = Optional.of(principal(u));
      }
    }
    return found;
  }

  /**
   * The user a name and password belong to; a user with only a token may also give it as the
   * password (clients that can send only a password, such as Grafana's PostgreSQL data source).
   */
  public Optional<Principal> password(String name, String password) {
    if (isOpen()) {
      return Optional.of(Principal.ANONYMOUS);
    }
    if (name == null || password == null) {
      return Optional.empty();
    }
    Optional<User> user = users.named(name);
    if (user.isEmpty()) {
      same(password, password);
      return Optional.empty();
    }
    User u = user.get();
    boolean ok = u.password().map(p -> same(p, password)).orElse(false)
        | u.token().map(t -> same(t, password)).orElse(false);
    return ok ? Optional.of(principal(u)) : Optional.empty();
  }

  /** A user by name, for protocols that prove the password without sending it (SCRAM). */
  public Optional<User> user(String name) {
    return users.named(name);
  }

  public static Principal principal(User u) {
    return new Principal(u.name(), u.databases());
  }

  private static boolean same(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(UTF_8), given.getBytes(UTF_8));
  }
}
