package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.neuralake.testing.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code neuralake serve} and {@code neuralake export roapi} end to end: the packaged jar in child processes. */
class ServeIT {
  // a test-only secret, read by the users file as ${SERVE_IT_TOKEN}
  private static final String TOKEN = "serve-it-token-000000001";
  @TempDir static Path work;
  static Path lake;
  static Path catalog;
  static Map<String, String> env;

  @BeforeAll
  static void createTheDemo() {
    Cli.Result r = Cli.jar(work, Map.of(), "demo", "--dir", "lake");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    lake = work.resolve("lake");
    catalog = lake.resolve("catalog");
    env = Map.of("NEURALAKE_LAKE_ROOT", lake.toString(), "NEURALAKE_CACHE_DIR", work.resolve("cache").toString(),
        "SERVE_IT_TOKEN", TOKEN);
  }

  @Test
  void servesWithUsersFromAFileAndStopsGracefullyOnSigterm() throws Exception {
    Path users = work.resolve("users.yaml");
    Files.writeString(users, """
        users:
          - name: grafana
            token: ${SERVE_IT_TOKEN}
            databases: [tpch]
        """);
    List<String> args = new ArrayList<>(List.of("serve", "--catalog", catalog.toString(), "--auth", users.toString()));
    args.addAll(Cli.freeDoorPorts());
    Path log = work.resolve("serve.log");
    Process server = Cli.startJar(work, env, log, args.toArray(String[]::new));
    try {
      Cli.awaitLine(server, log, "ready (SIGTERM or Ctrl-C stops it)");
      String started = Files.readString(log);
      assertThat(started).contains("serving catalog demo (databases: tpch, bci) on 127.0.0.1")
          .contains("authentication required: 1 user(s)")
          .contains("engine sandboxed to [" + work.resolve("cache") + ", " + lake + "]")
          .doesNotContain(TOKEN).doesNotContain("OPEN");
      server.destroy(); // SIGTERM
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      String all = Files.readString(log);
      assertThat(all).contains("stopping: running queries get up to 30 s to finish").contains("stopped");
      assertThat(server.exitValue()).as(all).isEqualTo(128 + 15); // the JVM's status for SIGTERM
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void onLoopbackWithoutUsersItRunsOpenAndSaysSo() throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--catalog", catalog.toString()));
    args.addAll(Cli.freeDoorPorts());
    Path log = work.resolve("open.log");
    Process server = Cli.serveReady(work, env, log, args);
    try {
      String started = Files.readString(log);
      assertThat(started).contains("OPEN: no authentication");
      // the catalog site, live at /, with the --catalog it was served from in its Java snippets
      java.util.regex.Matcher http = java.util.regex.Pattern.compile("http +(http://127\\.0\\.0\\.1:\\d+/)"
          + "  \\(the catalog site").matcher(started);
      assertThat(http.find()).as(started).isTrue();
      java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.group(1) + "db/tpch/orders.html"))
              .timeout(java.time.Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("id=\"live-section\"", "CatalogLoader.load(&quot;" + catalog + "&quot;)");
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void offLoopbackWithoutUsersItRefusesToStart() {
    Cli.Result r = Cli.jar(work, env, "serve", "--catalog", catalog.toString(), "--bind", "0.0.0.0",
        "--http-port", "0", "--flight-port", "0", "--pg-port", "0");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2); // bad input
    assertThat(r.err()).as(r.toString())
        .contains("error: refusing to serve on 0.0.0.0 without authentication: give users (neuralake serve --auth FILE")
        .doesNotContain("Exception");
    assertThat(r.out()).doesNotContain("ready");
  }

  @Test
  void servesEveryDoorOverTlsWithTheCertificateGiven() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(work.resolve("tls"), "server");
    List<String> ports = Cli.freeDoorPorts();
    List<String> args = new ArrayList<>(List.of("serve", "--catalog", catalog.toString(), "--tls-cert",
        cert.certificate().toString(), "--tls-key", cert.key().toString()));
    args.addAll(ports);
    Path log = work.resolve("tls.log");
    Process server = Cli.startJar(work, env, log, args.toArray(String[]::new));
    try {
      Cli.awaitLine(server, log, "ready (SIGTERM or Ctrl-C stops it)");
      String pg = ports.get(5);
      assertThat(Files.readString(log)).contains("https://127.0.0.1:" + ports.get(1))
          .contains("jdbc:arrow-flight-sql://127.0.0.1:" + ports.get(3) + "?useEncryption=true")
          .contains("postgresql://127.0.0.1:" + pg + "/tpch?sslmode=verify-full")
          .contains("TLS only on every door: certificate CN=server").doesNotContain("PRIVATE KEY");
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pg + "/tpch?sslmode=verify-full"
          + "&sslrootcert=" + cert.certificate() + "&user=anyone&password=none");
          Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM tpch.part")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isPositive();
      }
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void badTlsSettingsAreRefusedNamingTheOptionOrVariable() throws IOException {
    SelfSignedCertificate one = SelfSignedCertificate.create(work.resolve("tls"), "one");
    SelfSignedCertificate two = SelfSignedCertificate.create(work.resolve("tls"), "two");
    Cli.Result alone = Cli.jar(work, env, "serve", "--catalog", catalog.toString(), "--tls-cert",
        one.certificate().toString());
    assertThat(alone.exitCode()).as(alone.toString()).isEqualTo(2);
    assertThat(alone.err()).contains("--tls-cert needs --tls-key: TLS takes the PEM certificate chain and its private"
        + " key");
    Map<String, String> mismatched = new HashMap<>(env);
    mismatched.put("NEURALAKE_SERVER_TLS_CERT", one.certificate().toString());
    mismatched.put("NEURALAKE_SERVER_TLS_KEY", two.key().toString());
    Cli.Result wrongKey = Cli.jar(work, mismatched, "serve", "--catalog", catalog.toString());
    assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(2);
    assertThat(wrongKey.err()).contains("error: NEURALAKE_SERVER_TLS_KEY " + two.key() + " is not the private key of"
        + " the certificate in NEURALAKE_SERVER_TLS_CERT " + one.certificate()).doesNotContain("Exception");
    Cli.Result notPem = Cli.jar(work, env, "serve", "--catalog", catalog.toString(), "--tls-cert",
        one.key().toString(), "--tls-key", one.key().toString());
    assertThat(notPem.exitCode()).as(notPem.toString()).isEqualTo(2);
    assertThat(notPem.err()).contains("error: --tls-cert " + one.key() + " is not a PEM certificate");
  }

  @Test
  void aUsersFileNamingAnUnsetVariableIsRefusedNamingIt() throws IOException {
    Path users = work.resolve("unset.yaml");
    Files.writeString(users, "users:\n  - name: bob\n    token: ${SERVE_IT_UNSET_VARIABLE}\n");
    Cli.Result r = Cli.jar(work, env, "serve", "--catalog", catalog.toString(), "--auth", users.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("${SERVE_IT_UNSET_VARIABLE}, which is not set");
  }

  @Test
  void exportRoapiWritesTheFileTablesAndNamesTheSkippedOnes() throws IOException {
    Path out = work.resolve("roapi.yaml");
    Cli.Result r = Cli.jar(work, env, "export", "roapi", "--catalog", catalog.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).contains("skipped tpch.supplier: a function table").contains("skipped bci.daily_spikes")
        .contains("wrote " + out);
    JsonNode tables = new ObjectMapper(new YAMLFactory()).readTree(out.toFile()).get("tables");
    Map<String, JsonNode> byName = new HashMap<>();
    tables.forEach(t -> byName.put(t.get("name").asText(), t));
    assertThat(byName).containsOnlyKeys("tpch_orders", "tpch_part", "bci_spikes");
    assertThat(byName.get("tpch_orders").get("option").get("format").asText()).isEqualTo("delta");
    assertThat(byName.get("tpch_orders").get("uri").asText()).isEqualTo(lake.resolve("orders").toString());
    assertThat(byName.get("bci_spikes").get("partition_columns").findValuesAsText("name"))
        .containsExactly("implant_id", "date");
    // standard output when no --out is given
    Cli.Result stdout = Cli.jar(work, env, "export", "roapi", "--catalog", catalog.toString());
    assertThat(stdout.out()).isEqualTo(Files.readString(out));
  }
}
