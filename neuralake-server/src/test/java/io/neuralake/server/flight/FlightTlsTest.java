package io.neuralake.server.flight;

import static io.neuralake.server.ServerFixture.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.testing.SelfSignedCertificate;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Flight SQL door over TLS: Arrow's Flight client and the Flight SQL JDBC driver verify its certificate. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FlightTlsTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static SelfSignedCertificate cert;
  static SelfSignedCertificate stranger;
  static String url;

  @BeforeAll
  static void start() {
    cert = SelfSignedCertificate.create(dir.resolve("tls"), "server");
    stranger = SelfSignedCertificate.create(dir.resolve("tls"), "stranger");
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).pgPort(0).tls(cert.certificate(), cert.key()));
    url = "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (lake != null) {
      lake.close();
    }
  }

  private static long parts(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) AS n FROM tpch.part")) {
      assertThat(r.next()).isTrue();
      return r.getLong(1);
    }
  }

  @Test
  void arrowsFlightClientTrustingTheCertificateQueries() {
    try (FlightTestClient admin = FlightTestClient.login(server.flightPort().orElseThrow(), "admin", ADMIN_PASSWORD,
        cert.certificate())) {
      assertThat(admin.query("SELECT count(*) AS n FROM tpch.part").rows()).isEqualTo(List.of(Map.of("n", 2000L)));
    }
  }

  @Test
  void arrowsFlightClientRefusesAnUntrustedCertificate() {
    assertThatThrownBy(() -> FlightTestClient.login(server.flightPort().orElseThrow(), "admin", ADMIN_PASSWORD,
        stranger.certificate()).close())
        .isInstanceOf(FlightRuntimeException.class);
    // nor does a client in clear text get in
    assertThatThrownBy(() -> FlightTestClient.login(server.flightPort().orElseThrow(), "admin", ADMIN_PASSWORD).close())
        .isInstanceOf(FlightRuntimeException.class);
  }

  @Test
  void theJdbcDriverVerifiesTheCertificateByItsPemOrATrustStore() throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "?useEncryption=true&tlsRootCerts=" + cert.certificate()
        + "&user=admin&password=" + ADMIN_PASSWORD)) {
      assertThat(parts(c)).isEqualTo(2000);
    }
    // the driver reads trustStore only when told not to use the system's
    try (Connection c = DriverManager.getConnection(url + "?useEncryption=true&useSystemTrustStore=false&trustStore="
        + cert.trustStore() + "&trustStorePassword=" + cert.trustStorePassword() + "&user=admin&password="
        + ADMIN_PASSWORD)) {
      assertThat(parts(c)).isEqualTo(2000);
    }
  }

  @Test
  void theJdbcDriverRefusesAnUntrustedCertificateAndClearText() {
    assertThatThrownBy(() -> parts(DriverManager.getConnection(url + "?useEncryption=true&tlsRootCerts="
        + stranger.certificate() + "&user=admin&password=" + ADMIN_PASSWORD)))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> parts(DriverManager.getConnection(url + "?useEncryption=false&user=admin&password="
        + ADMIN_PASSWORD)))
        .isInstanceOf(SQLException.class);
  }
}
