package io.neuralake.site.internal.grafana;

import io.neuralake.NeuralakeException;
import io.neuralake.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Grafana reaches the server's PostgreSQL door: {@code postgresql://[user@]host[:port]/database[?sslmode=m]}.
 * A password in the URL is refused: the provisioning file reads it from Grafana's environment instead.
 */
public record PgUrl(String host, int port, String database, Optional<String> user, String sslMode) {
  /** The door's default port, as {@code neuralake serve} opens it. */
  public static final int DEFAULT_PORT = 5433;

  private static final java.util.Set<String> SSL_MODES =
      java.util.Set.of("disable", "require", "verify-ca", "verify-full");

  /** The door on this machine with the default port, connecting to {@code database}. */
  public static PgUrl local(String database) {
    return new PgUrl("127.0.0.1", DEFAULT_PORT, database, Optional.empty(), "disable");
  }

  /** Parses {@code text} ({@code --pg-url}), naming the option and the part that is wrong. */
  public static PgUrl parse(String text, String defaultDatabase) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw invalid(text, "it is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw invalid(text, "it must start with postgresql://");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw invalid(text, "it names no host");
    }
    Optional<String> user = Optional.empty();
    if (uri.getUserInfo() != null) {
      if (uri.getUserInfo().contains(":")) {
        throw invalid("postgresql://" + uri.getHost() + "/...", "it carries a password; give Grafana the password in"
            + " its environment (NEURALAKE_GRAFANA_PASSWORD, read by the data source's provisioning file)");
      }
      user = Optional.of(uri.getUserInfo());
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (path.contains("/")) {
      throw invalid(text, "the database name '" + path + "' contains '/'");
    }
    String database = path.isEmpty() ? defaultDatabase : path;
    return new PgUrl(uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(), database, user,
        sslMode(text, uri.getQuery()));
  }

  /** {@code host:port}, as Grafana's PostgreSQL data source takes it. */
  public String hostAndPort() {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String sslMode(String text, String query) {
    String mode = "disable";
    if (query == null || query.isEmpty()) {
      return mode;
    }
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals("sslmode") && kv.length == 2 && SSL_MODES.contains(kv[1])) {
        mode = kv[1];
      } else {
        throw invalid(text, "'" + pair + "' is not understood; the only parameter is sslmode, one of "
            + String.join(", ", new java.util.TreeSet<>(SSL_MODES)));
      }
    }
    return mode;
  }

  private static NeuralakeException invalid(String text, String why) {
    return new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "--pg-url " + text + " cannot be used: " + why
        + ". Write it as postgresql://host:5433/database, e.g. postgresql://grafana@127.0.0.1:5433/<catalog name>.");
  }
}
