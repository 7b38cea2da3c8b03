package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.spi.Messages;
import io.neuralake.spi.Settings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * The demo's relational table: when {@code NEURALAKE_DEMO_PG_URL} names a PostgreSQL the demo can
 * log in to, it writes {@code neuralake_demo.implants} there (a schema of its own, rewritten on
 * each run) and queries it joined with the lake; otherwise it says why it skips it.
 */
final class DemoPostgres {
  static final String URL = "NEURALAKE_DEMO_PG_URL";
  static final String USER = "NEURALAKE_DEMO_PG_USER";
  static final String PASSWORD = "NEURALAKE_DEMO_PG_PASSWORD";
  /** What the demo catalog's Clinic.java reads; blank hides its database when the demo skips PostgreSQL. */
  static final String URL_PROPERTY = "neuralake.demo.pg.url";
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private DemoPostgres() {}

  /**
   * Writes the demo's table into the PostgreSQL the environment names, before the catalog is
   * compiled. When none is named or it cannot be reached, prints why and hides the catalog's
   * {@code clinic} database for this run; returns whether the table is there.
   */
  static boolean prepare(PrintWriter out) {
    Optional<String> url = Settings.get(URL);
    if (url.isEmpty()) {
      out.println("PostgreSQL: skipped: " + URL + " is not set; set it (e.g. jdbc:postgresql://localhost:5432/postgres),"
          + " " + USER + " and " + PASSWORD + " to add the relational database clinic to the demo");
      return false;
    }
    Optional<String> user = Settings.get(USER);
    if (user.isEmpty()) {
      return skip(out, USER + " is not set; set it and " + PASSWORD + " to the login for " + url.get());
    }
    Properties login = new Properties();
    login.setProperty("user", user.get());
    login.setProperty("password", Settings.get(PASSWORD).orElse(""));
    // PostgreSQL's driver: give up on an unreachable host after a few seconds rather than the OS's minutes
    login.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    login.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    try (Connection c = DriverManager.getConnection(url.get(), login); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS neuralake_demo");
      st.execute("DROP TABLE IF EXISTS neuralake_demo.implants");
      st.execute("CREATE TABLE neuralake_demo.implants (implant_id bigint PRIMARY KEY, patient text NOT NULL,"
          + " site text NOT NULL, implanted date NOT NULL)");
      st.execute("COMMENT ON TABLE neuralake_demo.implants IS 'Implants: who carries each and where it was placed"
          + " (written by neuralake demo).'");
      st.execute("INSERT INTO neuralake_demo.implants VALUES (4595, 'P-001', 'motor cortex', '2023-11-02'),"
          + " (4596, 'P-002', 'motor cortex', '2024-01-15'), (5012, 'P-003', 'visual cortex', '2024-02-20')");
      out.println("PostgreSQL: wrote neuralake_demo.implants at " + hostOf(url.get()) + " as user '" + user.get() + "'");
      return true;
    } catch (SQLException e) {
      return skip(out, "cannot write neuralake_demo.implants at " + hostOf(url.get()) + " as user '" + user.get()
          + "': " + Messages.firstLine(String.valueOf(e.getMessage())) + "; check that PostgreSQL runs there and"
          + " that the user may create a schema (or unset " + URL + ")");
    }
  }

  private static boolean skip(PrintWriter out, String why) {
    out.println("PostgreSQL: skipped: " + why);
    System.setProperty(URL_PROPERTY, "");
    return false;
  }

  /** The URL without its parameters: what to name in messages. */
  private static String hostOf(String url) {
    int cut = url.indexOf('?');
    return cut < 0 ? url : url.substring(0, cut);
  }

  /** The federated query over PostgreSQL and Parquet, with the remote SQL the table sent. */
  static void query(Catalog catalog, PrintWriter out) {
    String sql = "SELECT i.site, count(DISTINCT i.implant_id) AS implants, sum(s.spike_count) AS spikes"
        + " FROM clinic.implants i JOIN bci.spikes s ON s.implant_id = i.implant_id"
        + " WHERE s.date = '2024-04-28' AND i.site = 'motor cortex' GROUP BY i.site";
    out.println("--- clinic.implants (PostgreSQL, its schema listed at run time) joined with bci.spikes (Parquet) ---");
    DemoCommand.show(catalog, sql, "clinic.implants (jdbc)", out);
  }
}
