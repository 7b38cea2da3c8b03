package io.neuralake.jdbc;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.Settings;

/**
 * Who a relational table logs in as. Read from the environment when the table connects (never
 * written in source), or given by a program that holds them (from its secret store). The password
 * never appears in messages, logs or {@link #toString()}.
 */
public final class JdbcCredentials {
  private final String prefix; // null when given directly
  private final String user;
  private final String password;

  private JdbcCredentials(String prefix, String user, String password) {
    this.prefix = prefix;
    this.user = user;
    this.password = password;
  }

  /**
   * {@code <prefix>USER} and {@code <prefix>PASSWORD} (e.g. {@code CLINIC_USER}, {@code CLINIC_PASSWORD}),
   * read each time a table connects, so rotated credentials are used by the next connection; as for
   * every setting, the system property ({@code -Dclinic.user}) wins over the variable.
   */
  public static JdbcCredentials fromEnvironment(String prefix) {
    requireNonNull(prefix, "prefix");
    if (!prefix.matches("[A-Z][A-Z0-9_]*")) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the credentials' variable prefix '" + prefix
          + "' is not valid: use upper-case letters, digits and underscores, e.g. CLINIC_");
    }
    return new JdbcCredentials(prefix, null, null);
  }

  /** Credentials a program already holds (from a secret store); never write them in source. */
  public static JdbcCredentials of(String user, String password) {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    if (user.isBlank()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the database user name is blank");
    }
    return new JdbcCredentials(null, user, password);
  }

  /** The user name; for credentials from the environment, read now (an error names the variable when unset). */
  String user() {
    return prefix == null ? user : required(prefix + "USER");
  }

  String password() {
    return prefix == null ? password : required(prefix + "PASSWORD");
  }

  /** Where the credentials come from, for error messages: the variables, never the values. */
  String source() {
    return prefix == null ? "the credentials given to the table" : prefix + "USER / " + prefix + "PASSWORD";
  }

  private static String required(String variable) {
    return Settings.get(variable).orElseThrow(() -> new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
        "the database credentials are not set: " + variable + " is unset or blank; set the environment variable "
            + variable + " (or -D" + variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.') + ")"));
  }

  @Override
  public String toString() {
    return prefix == null ? "JdbcCredentials[user=" + user + "]" : "JdbcCredentials[" + source() + "]";
  }
}
