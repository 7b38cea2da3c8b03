package io.neuralake.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may use a server. Empty means an open server, which only a loopback address may serve.
 *
 * <p>The users file ({@code neuralake serve --auth FILE}) is YAML; secrets are best given as
 * {@code ${VARIABLE}}, read from the environment when the file is loaded, so the file holds none:
 *
 * <pre>{@code
 * users:
 *   - name: grafana
 *     token: ${GRAFANA_TOKEN}
 *     password: ${GRAFANA_PASSWORD}
 *     databases: [tpch]        # omit to allow every database
 * }</pre>
 */
public final class Users {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private final Map<String, User> byName;

  private Users(List<User> users) {
    Map<String, User> m = new LinkedHashMap<>();
    Map<String, String> tokens = new LinkedHashMap<>();
    for (User u : users) {
      if (m.put(u.name(), u) != null) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "user " + u.name() + " is given twice");
      }
      u.token().ifPresent(t -> {
        String other = tokens.put(t, u.name());
        if (other != null) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "users " + other + " and " + u.name()
              + " have the same token: give each its own");
        }
      });
    }
    this.byName = Collections.unmodifiableMap(m);
  }

  /** No users: an open server (loopback only). */
  public static Users none() {
    return new Users(List.of());
  }

  public static Users of(User... users) {
    return new Users(List.of(users));
  }

  public static Users of(List<User> users) {
    return new Users(List.copyOf(users));
  }

  /**
   * Users from the environment: {@code NEURALAKE_SERVER_TOKEN} and/or
   * {@code NEURALAKE_SERVER_PASSWORD} make one user, named {@code NEURALAKE_SERVER_USER} (default
   * {@code neuralake}), allowed every database. Neither set: no users.
   */
  public static Users fromEnvironment() {
    Optional<String> token = Settings.get("NEURALAKE_SERVER_TOKEN");
    Optional<String> password = Settings.get("NEURALAKE_SERVER_PASSWORD");
    if (token.isEmpty() && password.isEmpty()) {
      return none();
    }
    String name = Settings.get("NEURALAKE_SERVER_USER").orElse("neuralake");
    User u = token.isPresent() ? User.withToken(name, token.get()) : User.withPassword(name, password.get());
    if (token.isPresent() && password.isPresent()) {
      u = u.password(password.get());
    }
    return of(u);
  }

  /** Users from a YAML file (see the class comment); {@code ${VARIABLE}}s are read from the environment. */
  public static Users load(Path file) {
    return load(file, variable -> Settings.get(variable).orElse(null));
  }

  static Users load(Path file, UnaryOperator<String> environment) {
    requireNonNull(file, "file");
    UsersFile parsed;
    try {
      parsed = new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(Files.readString(file), UsersFile.class);
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the users file " + file + " cannot be read: "
          + e.getMessage().lines().findFirst().orElse("") + "; see `neuralake serve --help` for its format", e);
    }
    if (parsed == null || parsed.users == null || parsed.users.isEmpty()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the users file " + file + " names no users; give a"
          + " `users:` list, each with a name and a token or password");
    }
    List<User> users = new ArrayList<>();
    for (UserEntry e : parsed.users) {
      String where = "the users file " + file + ", user " + e.name;
      if (e.name == null) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the users file " + file + " has a user without a name");
      }
      Optional<String> token = Optional.ofNullable(e.token).map(t -> expand(t, where + " (token)", environment));
      Optional<String> password = Optional.ofNullable(e.password).map(p -> expand(p, where + " (password)", environment));
      if (token.isEmpty() && password.isEmpty()) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, where + ": give a token or a password");
      }
      User u = token.isPresent() ? User.withToken(e.name, token.get()) : User.withPassword(e.name, password.get());
      if (token.isPresent() && password.isPresent()) {
        u = u.password(password.get());
      }
      if (e.databases != null) {
        u = u.databases(Set.copyOf(e.databases));
      }
      users.add(u);
    }
    return new Users(users);
  }

  /** {@code ${VARIABLE}}s replaced from the environment; one that is not set is an error naming it. */
  private static String expand(String value, String where, UnaryOperator<String> environment) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = environment.apply(m.group(1));
      if (v == null || v.isBlank()) {
        throw new NeuralakeException(ErrorCode.INVALID_SETTING, where + " is ${" + m.group(1) + "}, which is not set:"
            + " set the environment variable " + m.group(1));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  public List<User> all() {
    return List.copyOf(byName.values());
  }

  public Optional<User> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public String toString() {
    return "Users" + byName.values();
  }

  /** The file's shape, for Jackson. */
  static final class UsersFile {
    public List<UserEntry> users;
  }

  static final class UserEntry {
    public String name;
    public String token;
    public String password;
    public List<String> databases;
  }
}
