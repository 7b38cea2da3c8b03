package io.neuralake.server.pg;

import static io.neuralake.server.ServerFixture.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.testing.SelfSignedCertificate;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL door with TLS: psql and pgJDBC verify the server's certificate; clear text is refused. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PgTlsTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static SelfSignedCertificate cert;
  static SelfSignedCertificate stranger;

  @BeforeAll
  static void start() {
    assertThat(PgClients.hasPsql()).as("psql is not on PATH: install Debian's postgresql-client").isTrue();
    cert = SelfSignedCertificate.create(dir.resolve("tls"), "server");
    stranger = SelfSignedCertificate.create(dir.resolve("tls"), "stranger");
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.httpPort(0).flightPort(0).pgPort(NeuralakeServer.ANY_PORT)
        .tls(cert.certificate(), cert.key()));
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

  private static PgClients.Psql psql(String sslMode, Path rootCert, String command) throws Exception {
    return PgClients.psql(server, dir, Map.of("PGPASSWORD", ADMIN_PASSWORD, "PGSSLMODE", sslMode,
        "PGSSLROOTCERT", rootCert.toString()), "-U", "admin", "-d", "test", "-v", "ON_ERROR_STOP=1", "-c", command);
  }

  @Test
  void psqlVerifiesTheCertificateAndQueries() throws Exception {
    // as the README writes it: a connection string naming the mode and the root certificate
    PgClients.Psql p = PgClients.psql(server, dir, Map.of("PGPASSWORD", ADMIN_PASSWORD), "-d", "host=127.0.0.1 port="
        + server.pgPort().getAsInt() + " dbname=test user=admin sslmode=verify-full sslrootcert=" + cert.certificate(),
        "-c", "SELECT count(*) AS parts FROM tpch.part");
    assertThat(p.exit()).as(p.output()).isZero();
    assertThat(p.output()).containsPattern("parts\\s+-+\\s+2000\\s").contains("(1 row)");
    PgClients.Psql info = psql("verify-full", cert.certificate(), "\\conninfo");
    assertThat(info.output()).as(info.output()).containsPattern("SSL connection \\(protocol: TLSv1\\.[23]");
  }

  @Test
  void psqlRefusesAServerWhoseCertificateItDoesNotTrust() throws Exception {
    PgClients.Psql p = psql("verify-full", stranger.certificate(), "SELECT 1");
    assertThat(p.exit()).isNotZero();
    assertThat(p.output()).contains("certificate verify failed");
  }

  @Test
  void clearTextIsRefusedAsPostgreSqlsHostsslLinesDo() throws Exception {
    PgClients.Psql p = psql("disable", cert.certificate(), "SELECT 1");
    assertThat(p.exit()).isNotZero();
    assertThat(p.output()).contains("FATAL:  SSL required: this server takes only encrypted PostgreSQL connections;"
        + " connect with sslmode=verify-full");
    assertThatThrownBy(() -> PgClients.jdbc(server, "test", "admin", ADMIN_PASSWORD, "sslmode", "disable").close())
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"))
        .hasMessageContaining("SSL required");
  }

  @Test
  void pgJdbcVerifiesTheCertificateAndItsCancelStillReachesTheQuery() throws Exception {
    try (Connection c = PgClients.jdbc(server, "test", "admin", ADMIN_PASSWORD, "ssl", "true", "sslmode", "verify-full",
        "sslrootcert", cert.certificate().toString());
        Connection watcher = PgClients.jdbc(server, "test", "admin", ADMIN_PASSWORD, "sslmode", "verify-full",
            "sslrootcert", cert.certificate().toString());
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM tpch.orders WHERE o_orderstatus = 'F'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isPositive();
      }
      // pgJDBC sends its cancel request on a new connection in clear text, as libpq before 17 does
      CompletableFuture<Object> run = PgClients.longQueryRunning(s, watcher);
      s.cancel();
      assertThat(run.get(60, TimeUnit.SECONDS)).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo("57014"));
    }
    assertThatThrownBy(() -> PgClients.jdbc(server, "test", "admin", ADMIN_PASSWORD, "sslmode", "verify-full",
        "sslrootcert", stranger.certificate().toString()).close())
        .hasMessageContaining("SSL error");
  }

  @Test
  void bytesSentAfterTheSslRequestBeforeItsAnswerAreRefused() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.pgPort().getAsInt())) {
      s.setSoTimeout(30_000);
      // one buffer, one write: the server sees all of it at once
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
      out.writeInt(8);
      out.writeInt(80_877_103); // SSLRequest
      out.writeInt(8); // and, at once, what should have waited for the answer and gone inside TLS
      out.writeInt(196_608);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertThat((char) in.readByte()).isEqualTo('E');
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).contains("C08P01")
          .contains("received unencrypted data after SSL request");
    }
  }

  @Test
  void pgJdbcConnectsWithDirectTls() throws Exception {
    // PostgreSQL 17's direct TLS: no SSLRequest, the client's hello comes first, ALPN names the protocol
    try (Connection c = PgClients.jdbc(server, "test", "admin", ADMIN_PASSWORD, "sslmode", "verify-full",
        "sslrootcert", cert.certificate().toString(), "sslNegotiation", "direct");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM tpch.part")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getLong(1)).isEqualTo(2000);
    }
  }

  @Test
  void aDirectTlsClientGetsThePostgreSqlConversationOnlyWithAlpn() throws Exception {
    // with ALPN "postgresql": the startup message inside TLS is answered with an authentication request
    try (SSLSocket s = directTls(new String[] {"postgresql"})) {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
      byte[] params = "user\0admin\0database\0test\0\0".getBytes(StandardCharsets.UTF_8);
      out.writeInt(8 + params.length);
      out.writeInt(196_608);
      out.write(params);
      out.flush();
      assertThat(s.getApplicationProtocol()).isEqualTo("postgresql");
      assertThat((char) new DataInputStream(s.getInputStream()).readByte()).isEqualTo('R');
    }
    // without ALPN: refused inside TLS, as PostgreSQL refuses it, before any startup message is read
    try (SSLSocket s = directTls(new String[0])) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertThat((char) in.readByte()).isEqualTo('E');
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      assertThat(new String(body, StandardCharsets.UTF_8)).contains("C08P01").contains("without ALPN");
    }
  }

  /** A TLS client socket to the PostgreSQL door that starts its handshake at once, trusting the server's certificate. */
  private static SSLSocket directTls(String[] alpn) throws Exception {
    SSLContext context = cert.clientContext();
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.pgPort().getAsInt());
    s.setSoTimeout(30_000);
    SSLParameters parameters = s.getSSLParameters();
    parameters.setApplicationProtocols(alpn);
    s.setSSLParameters(parameters);
    s.startHandshake();
    return s;
  }
}
