package io.neuralake.site.internal.grafana;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Grafana's provisioning files: the PostgreSQL data source pointing at the server's door (its user and password
 * come from Grafana's environment, never from the file), and a file provider loading the dashboards.
 */
public final class Provisioning {
  /** Grafana's limit on a uid's length. */
  private static final int MAX_UID = 40;

  private Provisioning() {}

  /** The data source, named after the catalog; {@code ${NEURALAKE_GRAFANA_USER}} unless the URL names a user. */
  public static String dataSource(String catalogName, String uid, PgUrl url) {
    String user = url.user().map(Provisioning::quoted).orElse("${NEURALAKE_GRAFANA_USER}");
    return "# Grafana data source for the Neuralake catalog " + catalogName + " (the server's PostgreSQL door).\n"
        + "# Grafana reads NEURALAKE_GRAFANA_USER and NEURALAKE_GRAFANA_PASSWORD from its environment.\n"
        + "apiVersion: 1\n"
        + "datasources:\n"
        + "  - name: " + quoted("Neuralake " + catalogName) + "\n"
        + "    uid: " + quoted(uid) + "\n"
        + "    type: " + DashboardWriter.DATA_SOURCE_TYPE + "\n"
        + "    access: proxy\n"
        + "    url: " + quoted(url.hostAndPort()) + "\n"
        + "    user: " + user + "\n"
        + "    jsonData:\n"
        + "      database: " + quoted(url.database()) + "\n"
        + "      sslmode: " + url.sslMode() + "\n"
        + "      postgresVersion: 1500\n"
        + "      timescaledb: false\n"
        + "    secureJsonData:\n"
        + "      password: ${NEURALAKE_GRAFANA_PASSWORD}\n"
        + "    editable: false\n";
  }

  /** A file provider for the dashboards, read from {@code path} on Grafana's machine. */
  public static String dashboardProvider(String catalogName, String path) {
    return "# Grafana dashboard provider for the Neuralake catalog " + catalogName + ".\n"
        + "apiVersion: 1\n"
        + "providers:\n"
        + "  - name: " + quoted("neuralake-" + catalogName) + "\n"
        + "    folder: " + quoted("Neuralake " + catalogName) + "\n"
        + "    type: file\n"
        + "    disableDeletion: false\n"
        + "    allowUiUpdates: true\n"
        + "    updateIntervalSeconds: 60\n"
        + "    options:\n"
        + "      path: " + quoted(path) + "\n";
  }

  /** A Grafana uid from {@code parts}: word characters and dashes, at most 40, unique by a hash when shortened. */
  public static String uid(String... parts) {
    String joined = String.join("-", parts).replaceAll("[^A-Za-z0-9_-]", "_");
    if (joined.length() <= MAX_UID) {
      return joined;
    }
    return joined.substring(0, MAX_UID - 9) + "-" + sha256(joined).substring(0, 8);
  }

  /** A YAML double-quoted scalar; {@code $} is doubled so Grafana does not read it as an environment variable. */
  static String quoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '$' -> out.append("$$");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
