package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static io.neuralake.server.ServerFixture.BCI_TOKEN;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.site.CatalogExport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog site as the HTTP door serves it, behind users: what anyone gets (scripts and styles), what needs the
 * token (pages, search index, export; by header or by the pages' cookie), each user's own view, content types,
 * caching, no way out of the site, and the API's routes beside it.
 */
class CatalogSiteTest {
  @TempDir static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static Http http;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.pgPort(0).flightPort(0).catalogSource("catalog/"));
    http = new Http(server.httpPort().orElseThrow());
  }

  @AfterAll
  static void stop() {
    server.close();
    lake.close();
  }

  private static HttpResponse<byte[]> withCookie(String path, String token) {
    return http.send(http.request(path, null).header("Cookie", "neuralake_token=" + token).GET().build());
  }

  @Test
  void pagesNeedTheTokenAndAnswerWithTheTokenPageWithoutIt() {
    HttpResponse<byte[]> none = http.get("/db/tpch/orders.html", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("content-type").orElseThrow()).matches("text/html; ?charset=utf-8");
    assertThat(none.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(Http.text(none)).contains("Token needed", "id=\"token\"", "../../assets/live.js")
        .doesNotContain("o_orderkey", "TPC-H");
    assertThat(http.get("/", "wrong-token-00000000000", null).statusCode()).isEqualTo(401);
    for (String data : new String[] {"/catalog.json", "/search-index.js"}) {
      HttpResponse<byte[]> r = http.get(data, null, null);
      assertThat(r.statusCode()).as(data).isEqualTo(401);
      assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
    }

    HttpResponse<byte[]> page = http.get("/db/tpch/orders.html", ADMIN_TOKEN, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(Http.text(page)).contains("o_orderkey", "data-token=\"required\"", "CatalogLoader.load(&quot;catalog/&quot;)");
    assertThat(page.headers().firstValue("cache-control")).hasValue("private, no-cache");
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'");
    assertThat(withCookie("/db/tpch/orders.html", ADMIN_TOKEN).statusCode()).isEqualTo(200);
    assertThat(withCookie("/search-index.js", ADMIN_TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void theCookieOpensPagesButNeverTheApi() {
    assertThat(withCookie("/api/catalog", ADMIN_TOKEN).statusCode()).isEqualTo(401);
    assertThat(http.send(http.request("/api/sql", null).header("Cookie", "neuralake_token=" + ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build()).statusCode()).isEqualTo(401);
  }

  @Test
  void scriptsAndStylesGoToAnyoneWithTheirTypesAndCaching() {
    String[][] assets = {{"/assets/site.css", "text/css; charset=utf-8"}, {"/assets/live.js", "text/javascript; charset=utf-8"},
        {"/assets/uPlot.iife.min.js", "text/javascript; charset=utf-8"}, {"/assets/uPlot.min.css", "text/css; charset=utf-8"}};
    for (String[] a : assets) {
      HttpResponse<byte[]> r = http.get(a[0], null, null);
      assertThat(r.statusCode()).as(a[0]).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).as(a[0]).hasValue(a[1]);
      assertThat(r.headers().firstValue("cache-control")).as(a[0]).hasValue("public, max-age=3600");
      assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      String etag = r.headers().firstValue("etag").orElseThrow();
      HttpResponse<byte[]> again = http.send(http.request(a[0], null).header("If-None-Match", etag).GET().build());
      assertThat(again.statusCode()).as(a[0]).isEqualTo(304);
      assertThat(again.body()).isEmpty();
    }
    assertThat(Http.text(http.get("/assets/uPlot.iife.min.js", null, null))).contains("uPlot");
  }

  @Test
  void eachUserSeesTheSiteOfTheDatabasesTheyMayRead() {
    assertThat(http.get("/db/bci/spikes.html", BCI_TOKEN, null).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> other = http.get("/db/tpch/orders.html", BCI_TOKEN, null);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(Http.text(http.get("/", BCI_TOKEN, null))).contains("spikes").doesNotContain("orders");
    assertThat(Http.text(http.get("/catalog.json", BCI_TOKEN, null))).contains("spikes").doesNotContain("tpch");
    assertThat(Http.text(http.get("/search-index.js", BCI_TOKEN, null))).doesNotContain("o_orderkey");
  }

  @Test
  void theApiCatalogIsTheSitesVersionedExport() {
    JsonNode catalog = Http.json(http.get("/api/catalog", ADMIN_TOKEN, null));
    assertThat(catalog.path("format_version").asInt()).isEqualTo(CatalogExport.FORMAT_VERSION);
    assertThat(Http.text(http.get("/api/catalog", ADMIN_TOKEN, null)))
        .isEqualTo(Http.text(http.get("/catalog.json", ADMIN_TOKEN, null)));
  }

  @Test
  void freshnessComesFromTheDeltaLog() {
    JsonNode orders = Http.json(http.get("/api/freshness/tpch.orders", ADMIN_TOKEN, null));
    assertThat(orders.path("table").asText()).isEqualTo("tpch.orders");
    assertThat(orders.path("kind").asText()).isEqualTo("delta");
    assertThat(orders.path("version").asLong()).isEqualTo(1);
    assertThat(orders.path("last_modified").asText()).startsWith("20");
    assertThat(http.get("/api/freshness/tpch.orders", null, null).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/freshness/tpch.orders", BCI_TOKEN, null).statusCode()).isEqualTo(404);
  }

  @Test
  void theApiHealthAndMetricsAreUnchanged() {
    assertThat(Http.json(http.get("/api/version", ADMIN_TOKEN, null)).path("name").asText()).isEqualTo("neuralake");
    assertThat(http.get("/health", null, null).statusCode()).isEqualTo(200);
    assertThat(http.get("/metrics", ADMIN_TOKEN, null).statusCode()).isEqualTo(200);
    assertThat(http.get("/metrics", null, null).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/no-such-route", ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
    assertThat(http.post("/api/sql", ADMIN_TOKEN, null, "SELECT 1 AS one").statusCode()).isEqualTo(200);
  }

  @Test
  void nothingOutsideTheSiteCanBeReached() throws IOException {
    for (String path : new String[] {"/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/assets/%2E%2E%2Fcatalog.json", "/..%2f..%2fetc%2fpasswd", "/assets/..\\..\\etc\\passwd", "/./index.html",
        "/db//tpch/orders.html"}) {
      String answer = raw(path, ADMIN_TOKEN);
      assertThat(answer).as(path).matches("(?s)HTTP/1\\.1 (400|404) .*").doesNotContain("root:");
    }
    assertThat(raw("/db/tpch/orders.html", ADMIN_TOKEN)).startsWith("HTTP/1.1 200 ");
  }

  /** A request as written on the wire: no client normalizes its path first. */
  private static String raw(String path, String token) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.httpPort().orElseThrow())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), UTF_8);
    }
  }
}
