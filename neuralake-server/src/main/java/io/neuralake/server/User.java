package io.neuralake.server;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Someone the server lets in: a bearer token (HTTP, Flight SQL) and/or a password (PostgreSQL
 * wire, Flight SQL's basic handshake), and the databases they may read (all when none are named).
 * Secrets never appear in {@link #toString()} or in any message.
 */
public final class User {
  private final String name;
  private final Optional<String> token;
  private final Optional<String> password;
  private final Optional<Set<String>> databases;

  private User(String name, Optional<String> token, Optional<String> password, Optional<Set<String>> databases) {
    this.name = requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_.@-]{1,63}")) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "user name '" + name + "' is not valid: use 1 to 63"
          + " letters, digits, '_', '.', '@' or '-'");
    }
    this.token = requireNonNull(token, "token");
    this.password = requireNonNull(password, "password");
    if (token.isEmpty() && password.isEmpty()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "user " + name + " has neither a token nor a password:"
          + " give one, or both");
    }
    token.ifPresent(t -> requireSecret(name, "token", t));
    password.ifPresent(p -> requireSecret(name, "password", p));
    this.databases = requireNonNull(databases, "databases").map(d -> Set.copyOf(new TreeSet<>(d)));
  }

  /** A user with a token only, allowed every database. */
  public static User withToken(String name, String token) {
    return new User(name, Optional.of(token), Optional.empty(), Optional.empty());
  }

  /** A user with a password only, allowed every database. */
  public static User withPassword(String name, String password) {
    return new User(name, Optional.empty(), Optional.of(password), Optional.empty());
  }

  /** This user with a token (too). */
  public User token(String token) {
    return new User(name, Optional.of(token), password, databases);
  }

  /** This user with a password (too). */
  public User password(String password) {
    return new User(name, token, Optional.of(password), databases);
  }

  /** This user allowed only these databases. */
  public User databases(Set<String> databases) {
    return new User(name, token, password, Optional.of(databases));
  }

  public String name() {
    return name;
  }

  public Optional<String> token() {
    return token;
  }

  public Optional<String> password() {
    return password;
  }

  /** The databases this user may read; empty: all of them. */
  public Optional<Set<String>> databases() {
    return databases;
  }

  /** Whether the user may read that database. */
  public boolean mayRead(String database) {
    return databases.map(d -> d.contains(database)).orElse(true);
  }

  private static void requireSecret(String user, String what, String secret) {
    if (secret.length() < 12) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the " + what + " of user " + user + " is shorter than"
          + " 12 characters: use a longer one (e.g. from `openssl rand -hex 24`)");
    }
  }

  @Override
  public String toString() {
    return "User[" + name + (token.isPresent() ? ", token" : "") + (password.isPresent() ? ", password" : "")
        + ", databases: " + databases.map(d -> String.join(", ", d)).orElse("all") + "]";
  }
}
