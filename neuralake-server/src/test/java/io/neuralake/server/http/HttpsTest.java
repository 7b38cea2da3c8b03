package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.testing.SelfSignedCertificate;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP door with TLS: HTTPS only, for clients that trust its certificate (Java's HttpClient and curl). */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HttpsTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static SelfSignedCertificate cert;
  static int port;

  @BeforeAll
  static void start() {
    cert = SelfSignedCertificate.create(dir.resolve("tls"), "server");
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.flightPort(0).pgPort(0).tls(cert.certificate(), cert.key()));
    port = server.httpPort().orElseThrow();
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

  @Test
  void aClientTrustingTheCertificateQueriesOverHttps() throws Exception {
    Http https = new Http(port, cert.clientContext());
    assertThat(https.get("/health", null, null).statusCode()).isEqualTo(200);
    var sql = https.post("/api/sql", ADMIN_TOKEN, "application/json", "SELECT count(*) AS n FROM tpch.part");
    assertThat(sql.statusCode()).as(Http.text(sql)).isEqualTo(200);
    assertThat(Http.json(sql).get(0).get("n").asLong()).isEqualTo(2000);
  }

  @Test
  void aClientNotTrustingItAndClearTextAreRefused() throws Exception {
    SSLContext stranger = SelfSignedCertificate.create(dir.resolve("tls"), "stranger").clientContext();
    assertThatThrownBy(() -> new Http(port, stranger).get("/health", null, null))
        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SSLHandshakeException.class);
    assertThatThrownBy(() -> new Http(port).get("/health", null, null)).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void curlWithTheCaCertificateQueries() throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--cacert",
        cert.certificate().toString(), "-H", "Authorization: Bearer " + ADMIN_TOKEN, "-d",
        "SELECT count(*) AS n FROM tpch.part", "https://localhost:" + port + "/api/sql"));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("curl could not run (" + e.getMessage() + "): install Debian's curl", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).isEqualTo("[{\"n\":2000}]");
  }
}
