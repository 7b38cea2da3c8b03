package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static io.neuralake.server.ServerFixture.BCI_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.SandboxEscapes;
import io.neuralake.server.ServerFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and abuse against a live HTTP door: each case gets the status its error category
 * maps to and a JSON error naming what was wrong; nothing escapes the sandbox or leaks another
 * database's tables; the server serves normally afterwards. Prints a table of every case.
 */
class HttpAbuseTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static Http http;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.pgPort(0).flightPort(0));
    http = new Http(server.httpPort().orElseThrow());
  }

  @AfterAll
  static void stop() {
    server.close();
    lake.close();
  }

  /**
   * One abusive request, the statuses it may get, the error code it must carry (null: any or none)
   * and the Allow header it must carry (null: none checked).
   */
  record Case(String name, Supplier<HttpResponse<byte[]>> call, Set<Integer> statuses, String code, String body,
      String allow) {}

  static final List<Case> CASES = new ArrayList<>();

  static void add(String name, Supplier<HttpResponse<byte[]>> call, int status, String code) {
    CASES.add(new Case(name, call, Set.of(status), code, null, null));
  }

  /** A known route asked with a method it does not take: 405 naming the ones it does. */
  static void wrongMethod(String method, String path, String allow) {
    CASES.add(new Case(method + " on " + path, () -> http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
        .timeout(Http.TIMEOUT).header("Authorization", "Bearer " + ADMIN_TOKEN)
        .method(method, HttpRequest.BodyPublishers.ofString("SELECT 1")).build()), Set.of(405), "NOT_SUPPORTED", null,
        allow));
  }

  static void sql(String name, String sql, int status, String code) {
    add(name, () -> http.post("/api/sql", ADMIN_TOKEN, null, sql), status, code);
  }

  static void get(String name, String path, int status, String code) {
    add(name, () -> http.get(path, ADMIN_TOKEN, null), status, code);
  }

  /** A request that must succeed with exactly this body (an injection read as a plain value). */
  static void harmless(String name, String path, String body) {
    CASES.add(new Case(name, () -> http.get(path, ADMIN_TOKEN, null), Set.of(200), null, body, null));
  }

  static void graphql(String name, String query, int status, String code) {
    add(name, () -> http.post("/api/graphql", ADMIN_TOKEN, null, query), status, code);
  }

  static HttpResponse<byte[]> raw(String path, String token) {
    // the path exactly as written: no client-side normalization
    return http.send(HttpRequest.newBuilder(URI.create(http.base() + path)).timeout(Http.TIMEOUT)
        .header("Authorization", "Bearer " + token).GET().build());
  }

  static String q(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  static {
    // malformed SQL
    sql("syntax error", "SELEC 1", 400, "INVALID_SQL");
    sql("unfinished query", "SELECT * FROM", 400, "INVALID_SQL");
    sql("open parenthesis", "SELECT (1", 400, "INVALID_SQL");
    sql("unterminated string", "SELECT 'abc", 400, "INVALID_SQL");
    sql("empty body", "", 400, "INVALID_SQL");
    sql("blank body", "   \n ", 400, "INVALID_SQL");
    sql("division by zero in a cast", "SELECT CAST('x' AS INTEGER)", 400, null);
    // unknown tables and columns
    sql("unknown table", "SELECT * FROM tpch.nope", 404, "TABLE_NOT_FOUND");
    sql("unknown database", "SELECT * FROM nope.part", 404, null);
    sql("unknown column", "SELECT nope FROM tpch.part", 404, null);
    get("REST unknown table", "/api/tables/tpch.nope", 404, "TABLE_NOT_FOUND");
    get("REST unknown database", "/api/tables/nope.part", 404, "DATABASE_NOT_FOUND");
    get("REST name without a dot", "/api/tables/part", 404, "TABLE_NOT_FOUND");
    get("REST name ending in a dot", "/api/tables/tpch.", 404, "TABLE_NOT_FOUND");
    get("schema of an unknown table", "/api/schema/tpch.nope", 404, "TABLE_NOT_FOUND");
    get("REST unknown column", "/api/tables/tpch.part?columns=nope", 404, "COLUMN_NOT_FOUND");
    get("REST unknown sort column", "/api/tables/tpch.part?sort=-nope", 404, "COLUMN_NOT_FOUND");
    get("REST unknown filter column", "/api/tables/tpch.part?filter[nope]=1", 404, "COLUMN_NOT_FOUND");
    get("unknown route", "/api/nothing", 404, null);
    // a known route with the wrong method is 405 with Allow; an unknown route stays 404 whatever the method
    wrongMethod("GET", "/api/sql", "POST");
    wrongMethod("PUT", "/api/sql", "POST");
    wrongMethod("DELETE", "/api/sql", "POST");
    wrongMethod("GET", "/api/graphql", "POST");
    wrongMethod("POST", "/api/tables/tpch.part", "GET");
    wrongMethod("DELETE", "/api/tables/tpch/part", "GET");
    wrongMethod("PATCH", "/api/schema/tpch.part", "GET");
    wrongMethod("POST", "/api/schema", "GET");
    wrongMethod("PUT", "/api/catalog", "GET");
    wrongMethod("POST", "/metrics", "GET");
    wrongMethod("DELETE", "/health", "GET");
    add("POST on an unknown route", () -> http.post("/api/nothing", ADMIN_TOKEN, null, "SELECT 1"), 404, null);
    add("DELETE on an unknown route", () -> http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/nothing"))
        .timeout(Http.TIMEOUT).header("Authorization", "Bearer " + ADMIN_TOKEN).DELETE().build()), 404, null);
    // wrong types and shapes in REST parameters
    get("text for an integer", "/api/tables/tpch.part?filter[p_size]=abc", 400, "TYPE_MISMATCH");
    get("fraction for an integer", "/api/tables/tpch.part?filter[p_size]gt=1.5", 400, "TYPE_MISMATCH");
    get("integer out of range", "/api/tables/bci.spikes?filter[implant_id]=99999999999999999999", 400, "TYPE_MISMATCH");
    get("bad timestamp", "/api/tables/bci.spikes?filter[ts]gte=yesterday", 400, "TYPE_MISMATCH");
    get("bad date", "/api/tables/tpch.orders?filter[o_orderdate]=2024-13-45", 400, "TYPE_MISMATCH");
    get("bad float", "/api/tables/tpch.part?filter[p_retailprice]lt=cheap", 400, "TYPE_MISMATCH");
    get("bad value in a list", "/api/tables/tpch.part?filter[p_size]in=1,two,3", 400, "TYPE_MISMATCH");
    get("NULL with lt", "/api/tables/tpch.part?filter[p_size]lt=NULL", 400, "INVALID_FILTER");
    get("contains on a number", "/api/tables/tpch.part?filter[p_size]contains=1", 400, "INVALID_FILTER");
    get("unknown operator", "/api/tables/tpch.part?filter[p_size]like=1", 400, "INVALID_FILTER");
    get("limit not a number", "/api/tables/tpch.part?limit=ten", 400, "INVALID_ARGUMENT");
    get("negative limit", "/api/tables/tpch.part?limit=-1", 400, "INVALID_ARGUMENT");
    get("page zero", "/api/tables/tpch.part?limit=5&page=0", 400, "INVALID_ARGUMENT");
    get("page without limit", "/api/tables/tpch.part?page=2", 400, "INVALID_ARGUMENT");
    get("huge page", "/api/tables/tpch.part?limit=9223372036854775807&page=9223372036854775807", 400,
        "INVALID_ARGUMENT");
    get("unknown parameter", "/api/tables/tpch.part?where=1%3D1", 400, "INVALID_ARGUMENT");
    get("empty column name", "/api/tables/tpch.part?columns=p_name,,p_size", 400, "INVALID_ARGUMENT");
    add("Accept naming no format", () -> http.get("/api/tables/tpch.part?limit=1", ADMIN_TOKEN, "application/xml"),
        400, "NOT_SUPPORTED");
    // SQL injection through REST parameters: values are typed values, names must be columns
    harmless("quote in a string filter", "/api/tables/tpch.part?filter[p_name]=" + q("x' OR '1'='1"), "[]");
    harmless("statement in a string filter", "/api/tables/tpch.part?filter[p_name]=" + q("'; DROP TABLE tpch.part; --"),
        "[]");
    harmless("comment in a contains filter", "/api/tables/tpch.part?filter[p_name]contains=" + q("%' --"), "[]");
    harmless("quote in an in-list", "/api/tables/tpch.part?filter[p_brand]in=" + q("a','b') OR (1=1"), "[]");
    get("expression as an integer", "/api/tables/tpch.part?filter[p_size]=" + q("1 OR 1=1"), 400, "TYPE_MISMATCH");
    get("subquery as a date", "/api/tables/tpch.orders?filter[o_orderdate]=" + q("(SELECT 1)"), 400, "TYPE_MISMATCH");
    get("statement in columns", "/api/tables/tpch.part?columns=" + q("p_name; DROP TABLE tpch.part"), 404,
        "COLUMN_NOT_FOUND");
    get("star in columns", "/api/tables/tpch.part?columns=*", 404, "COLUMN_NOT_FOUND");
    get("function in columns", "/api/tables/tpch.part?columns=" + q("getenv('HOME')"), 404, "COLUMN_NOT_FOUND");
    get("statement in sort", "/api/tables/tpch.part?sort=" + q("p_name; DELETE FROM tpch.part"), 404,
        "COLUMN_NOT_FOUND");
    get("direction in sort", "/api/tables/tpch.part?sort=" + q("p_name DESC"), 404, "COLUMN_NOT_FOUND");
    get("expression in a filter's column", "/api/tables/tpch.part?filter[" + q("p_size) OR (1=1") + "]=1", 404,
        "COLUMN_NOT_FOUND");
    get("statement in the table name", "/api/tables/" + q("tpch.part;DROP TABLE tpch.part"), 404, "TABLE_NOT_FOUND");
    get("union in the table name", "/api/tables/" + q("tpch.part UNION SELECT * FROM read_text('/etc/passwd')"), 404,
        "TABLE_NOT_FOUND");
    get("quote in the table name", "/api/tables/" + q("tpch.part\""), 404, "TABLE_NOT_FOUND");
    get("function as the table name", "/api/tables/" + q("read_text('/etc/passwd').x"), 404, null);
    // path traversal in table names
    add("dot-dot segments", () -> raw("/api/tables/../../etc/passwd", ADMIN_TOKEN), 404, null);
    add("encoded slashes", () -> raw("/api/tables/..%2F..%2Fetc%2Fpasswd", ADMIN_TOKEN), 404, "TABLE_NOT_FOUND");
    add("encoded dots", () -> raw("/api/tables/%2e%2e/%2e%2e/etc/passwd", ADMIN_TOKEN), 404, null);
    get("traversal as a database", "/api/tables/" + q("...etc.passwd"), 404, null);
    get("absolute path as a table", "/api/tables/tpch/" + q("/etc/passwd"), 404, null);
    get("traversal in a schema name", "/api/schema/" + q("../../etc.passwd"), 404, null);
    get("lake file as a table", "/api/tables/bci." + q("spikes/implant_id=4595"), 404, "TABLE_NOT_FOUND");
    // GraphQL: injection through arguments, unknown names, malformed documents
    graphql("quote in a GraphQL filter", "{ tpch_part(filter: {p_name: \"x' OR '1'='1\"}) { p_name } }", 200, null);
    graphql("statement in a GraphQL sort field", "{ tpch_part(sort: [{field: \"p_name; DROP TABLE tpch.part\"}])"
        + " { p_name } }", 404, "COLUMN_NOT_FOUND");
    graphql("bad sort order", "{ tpch_part(sort: [{field: \"p_name\", order: \"sideways\"}]) { p_name } }", 400,
        "INVALID_ARGUMENT");
    graphql("text for an integer in GraphQL", "{ tpch_part(filter: {p_size: {gt: \"big\"}}) { p_name } }", 400,
        "TYPE_MISMATCH");
    graphql("unknown GraphQL operator", "{ tpch_part(filter: {p_size: {like: 1}}) { p_name } }", 400, "INVALID_FILTER");
    graphql("unknown GraphQL column", "{ tpch_part { nope } }", 400, "INVALID_ARGUMENT");
    graphql("unknown GraphQL filter column", "{ tpch_part(filter: {nope: 1}) { p_name } }", 400, "INVALID_ARGUMENT");
    graphql("unknown GraphQL table", "{ tpch_nope { p_name } }", 400, "INVALID_ARGUMENT");
    graphql("table name with SQL", "{ tpch_part_UNION_SELECT { p_name } }", 400, "INVALID_ARGUMENT");
    graphql("malformed GraphQL", "{ tpch_part(", 400, "INVALID_ARGUMENT");
    graphql("GraphQL limit not a number", "{ tpch_part(limit: \"ten\") { p_name } }", 400, "INVALID_ARGUMENT");
    graphql("GraphQL mutation", "mutation { drop }", 400, "INVALID_ARGUMENT");
    graphql("GraphQL object in a list", "{ tpch_part(filter: {p_size: {in: [{a: 1}]}}) { p_name } }", 400,
        "INVALID_ARGUMENT");
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 17; i++) {
      many.append(" a").append(i).append(": tpch_part(limit: 1) { p_name }");
    }
    graphql("too many GraphQL table reads", many.append(" }").toString(), 413, "REQUEST_TOO_LARGE");
    // huge bodies and heads
    add("2 MB of SQL", () -> http.post("/api/sql", ADMIN_TOKEN, null, "SELECT 1 -- " + "x".repeat(2 << 20)), 413,
        "REQUEST_TOO_LARGE");
    add("2 MB of GraphQL", () -> http.post("/api/graphql", ADMIN_TOKEN, null, "{" + " ".repeat(2 << 20) + "}"), 413,
        "REQUEST_TOO_LARGE");
    add("a 20 KB header", () -> http.send(http.request("/api/version", ADMIN_TOKEN).header("X-Big", "z".repeat(20_000))
        .GET().build()), 431, "REQUEST_TOO_LARGE");
    add("a 20 KB URL", () -> http.get("/api/tables/tpch.part?filter[p_name]=" + "u".repeat(20_000), ADMIN_TOKEN,
        null), 414, "REQUEST_TOO_LARGE");
    // every sandbox escape through /api/sql: refused, as a bad request
    for (String escape : SandboxEscapes.statements()) {
      Set<Integer> statuses = Set.of(400, 404);
      CASES.add(new Case("escape: " + escape, () -> http.post("/api/sql", ADMIN_TOKEN, null, escape), statuses,
          null, null, null));
    }
    // missing and wrong credentials, tokens for another database
    add("no token", () -> http.post("/api/sql", null, null, "SELECT 1"), 401, "UNAUTHENTICATED");
    add("wrong token", () -> http.post("/api/sql", "not-the-token-00000000", null, "SELECT 1"), 401, "UNAUTHENTICATED");
    add("empty bearer", () -> http.send(http.request("/api/version", null).header("Authorization", "Bearer ").GET()
        .build()), 401, "UNAUTHENTICATED");
    add("basic instead of bearer", () -> http.send(http.request("/api/version", null)
        .header("Authorization", "Basic YWRtaW46YWRtaW4=").GET().build()), 401, "UNAUTHENTICATED");
    add("token with a prefix of the real one", () -> http.get("/api/version", ADMIN_TOKEN.substring(0, 10), null), 401,
        "UNAUTHENTICATED");
    add("metrics without a token", () -> http.get("/metrics", null, null), 401, "UNAUTHENTICATED");
    add("catalog without a token", () -> http.get("/api/catalog", null, null), 401, "UNAUTHENTICATED");
    add("bci_reader: tpch over REST", () -> http.get("/api/tables/tpch.part", BCI_TOKEN, null), 404,
        "DATABASE_NOT_FOUND");
    add("bci_reader: tpch over SQL", () -> http.post("/api/sql", BCI_TOKEN, null, "SELECT * FROM tpch.orders"), 404,
        null);
    add("bci_reader: tpch in a subquery", () -> http.post("/api/sql", BCI_TOKEN, null,
        "SELECT * FROM bci.spikes WHERE channel IN (SELECT p_size FROM tpch.part)"), 404, null);
    add("bci_reader: tpch schema", () -> http.get("/api/schema/tpch.part", BCI_TOKEN, null), 404, "DATABASE_NOT_FOUND");
    add("bci_reader: tpch over GraphQL", () -> http.post("/api/graphql", BCI_TOKEN, null, "{ tpch_part { p_name } }"),
        400, "INVALID_ARGUMENT");
  }

  /**
   * A body over the limit is refused while its client is still sending it; the refusal must reach the client every
   * time, not a reset connection (which it was, now and then, before the server drained refused bodies).
   */
  @Test
  void aRefusedBodyAlwaysGetsItsAnswer() {
    String sql = "SELECT 1 -- " + "x".repeat(2 << 20);
    for (int i = 0; i < 40; i++) {
      HttpResponse<byte[]> r = i % 2 == 0
          ? http.post("/api/sql", ADMIN_TOKEN, null, sql)
          // no Content-Length: the limit is found while reading the chunks
          : http.send(http.request("/api/sql", ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofInputStream(
              () -> new java.io.ByteArrayInputStream(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build());
      assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(413);
      assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("REQUEST_TOO_LARGE");
    }
  }

  /**
   * Refusals the server gives before routing close the connection and say so: a client that pooled
   * it would otherwise send its next request into a closed socket (the JDK client then fails a POST).
   */
  @Test
  void refusalsBeforeRoutingSayTheConnectionCloses() throws Exception {
    String longUrl = "GET /api/tables/tpch.part?filter[p_name]=" + "u".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    String bigHead = "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "z".repeat(20_000) + "\r\n\r\n";
    String garbage = "NOT HTTP AT ALL\r\n\r\n";
    for (String request : List.of(longUrl, bigHead, garbage)) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.httpPort().orElseThrow())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String head = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .split("\r\n\r\n", 2)[0];
        assertThat(head).as(request.substring(0, Math.min(20, request.length()))).matches("(?s)HTTP/1.1 4\\d\\d .*")
            .containsIgnoringCase("\r\nConnection: close");
      }
    }
  }

  @Test
  void everyCaseGetsTheRightStatusAndAClearMessage() {
    List<String> table = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    table.add(String.format("%-3s %-58s %-6s %-20s %s", "#", "case", "status", "code", "message"));
    int i = 0;
    for (Case c : CASES) {
      i++;
      HttpResponse<byte[]> r = c.call().get();
      String text = Http.text(r);
      String code = "";
      String message = "";
      if (r.headers().firstValue("content-type").orElse("").startsWith("application/json") && text.startsWith("{\"error\"")) {
        JsonNode error = Http.json(r).path("error");
        code = error.path("code").asText();
        message = error.path("message").asText();
      }
      table.add(String.format("%-3d %-58.58s %-6d %-20s %.90s", i, c.name(), r.statusCode(), code,
          message.isEmpty() ? text.replace('\n', ' ') : message));
      boolean ok = c.statuses().contains(r.statusCode())
          && (c.code() == null || c.code().equals(code))
          && (c.body() == null || c.body().equals(text))
          && (c.allow() == null || c.allow().equals(r.headers().firstValue("allow").orElse(null)))
          && (r.statusCode() < 400 || !message.isBlank());
      if (!ok) {
        wrong.add(c.name() + ": got " + r.statusCode() + " " + code + " " + text + " Allow: "
            + r.headers().firstValue("allow").orElse("(none)"));
      }
      assertThat(text).doesNotContain("root:x:0:0").doesNotContain("nologin");
    }
    System.out.println(String.join("\n", table));
    assertThat(CASES).hasSizeGreaterThanOrEqualTo(90);
    assertThat(wrong).as("cases with the wrong answer").isEmpty();
    // the server still serves
    assertThat(http.get("/health", null, null).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> real = http.post("/api/sql", ADMIN_TOKEN, null, "SELECT count(*) AS n FROM tpch.part");
    assertThat(real.statusCode()).isEqualTo(200);
    assertThat(Http.text(real)).isEqualTo("[{\"n\":2000}]");
    assertThat(http.get("/api/tables/bci.spikes?filter[implant_id]=4595&limit=3", BCI_TOKEN, null).statusCode())
        .isEqualTo(200);
  }
}
