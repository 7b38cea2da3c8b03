package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.frame.DataFrame;
import io.neuralake.query.QueryLimits;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.server.ServerLimits;
import io.neuralake.spi.Values;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every result format, re-read with Arrow's readers and DuckDB and compared with the library's
 * result; a large result streams (chunked, no length known up front); limits answer before the
 * body starts.
 */
class HttpFormatsTest {
  static final String SPIKES = "SELECT * FROM bci.spikes WHERE implant_id = 4596 ORDER BY ts, channel";
  static final String ORDERS = "SELECT o_orderkey, o_orderdate, o_totalprice, o_orderstatus FROM tpch.orders"
      + " WHERE o_orderkey < 2000 ORDER BY o_orderkey";

  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static NeuralakeServer limited;
  static Http http;
  static Http small;
  static BufferAllocator allocator;

  @BeforeAll
  static void start() {
    lake = ServerFixture.create(dir);
    server = lake.start(b -> b.pgPort(0).flightPort(0));
    ServerLimits d = ServerLimits.defaults();
    limited = lake.start(b -> b.pgPort(0).flightPort(0).limits(new ServerLimits(QueryLimits.none().withMaxRows(1_000),
        d.maxConcurrentQueries(), d.maxQueuedQueries(), d.queueTimeout(), 4_096, 2_048, d.idleTimeout(),
        d.shutdownGrace())));
    http = new Http(server.httpPort().orElseThrow());
    small = new Http(limited.httpPort().orElseThrow());
    allocator = new RootAllocator();
  }

  @AfterAll
  static void stop() {
    allocator.close();
    limited.close();
    server.close();
    lake.close();
  }

  static List<Map<String, Object>> library(String sql) {
    try (DataFrame df = lake.catalog.sql(sql).collect()) {
      return df.rows();
    }
  }

  static List<Map<String, Object>> rows(ArrowReader reader) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      for (int r = 0; r < root.getRowCount(); r++) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (FieldVector v : root.getFieldVectors()) {
          row.put(v.getName(), Values.arrowValue(v, r));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void arrowStreamEqualsTheLibrary() throws Exception {
    for (String sql : List.of(SPIKES, ORDERS)) {
      HttpResponse<byte[]> r = http.post("/api/sql", ADMIN_TOKEN, "application/vnd.apache.arrow.stream", sql);
      assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/vnd.apache.arrow.stream");
      try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(r.body()), allocator)) {
        assertThat(rows(reader)).isEqualTo(library(sql));
      }
    }
  }

  @Test
  void arrowFileEqualsTheLibrary() throws Exception {
    HttpResponse<byte[]> r = http.get("/api/tables/bci.spikes?filter[implant_id]=4596&sort=ts,channel",
        ADMIN_TOKEN, "application/vnd.apache.arrow.file");
    assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
    try (ArrowFileReader reader = new ArrowFileReader(new SeekableReadChannel(
        new ByteArrayReadableSeekableByteChannel(r.body())), allocator)) {
      assertThat(reader.getRecordBlocks()).isNotEmpty();
      List<Map<String, Object>> got = rows(reader);
      assertThat(got).hasSize(6_000).isEqualTo(library(SPIKES.replace("SELECT *", "SELECT ts, channel, spike_count,"
          + " rate_hz, implant_id, date")));
    }
  }

  @Test
  void parquetReadsBackInDuckDbAsTheLibrarysResult() throws Exception {
    for (String sql : List.of(SPIKES, ORDERS)) {
      HttpResponse<byte[]> r = http.post("/api/sql", ADMIN_TOKEN, "application/vnd.apache.parquet", sql);
      assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
      Path file = Files.write(dir.resolve("result-" + Math.abs(sql.hashCode()) + ".parquet"), r.body());
      List<Map<String, Object>> expected = library(sql);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
        int columns = rs.getMetaData().getColumnCount();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          names.add(rs.getMetaData().getColumnName(i));
        }
        assertThat(names).containsExactlyElementsOf(expected.get(0).keySet());
        int n = 0;
        while (rs.next()) {
          Map<String, Object> want = expected.get(n++);
          for (int i = 1; i <= columns; i++) {
            Object w = want.get(names.get(i - 1));
            Object got = w instanceof java.time.LocalDateTime ? rs.getObject(i, java.time.LocalDateTime.class)
                : w instanceof java.time.LocalDate ? rs.getObject(i, java.time.LocalDate.class) : rs.getObject(i);
            assertThat(got).as(names.get(i - 1) + " of row " + n).isEqualTo(w);
          }
        }
        assertThat(n).isEqualTo(expected.size());
      }
    }
  }

  @Test
  void aLargeResultStreamsInChunks() throws Exception {
    // 18,000 rows x 40 = 720,000 rows, about 90 MB of NDJSON: sent as it is read, never as one body
    String sql = "SELECT s.*, t.x FROM bci.spikes s CROSS JOIN range(40) t(x)";
    HttpRequest request = http.request("/api/sql", ADMIN_TOKEN).header("Accept", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-length")).isEmpty();
    assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
    long bytes = 0;
    long lines = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = r.body()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    assertThat(lines).isEqualTo(720_000);
    assertThat(bytes).isGreaterThan(50L << 20);
  }

  @Test
  void aGraphqlAnswerStreamsItsRowsWithAliasesFragmentsAndTypenames() throws Exception {
    String query = "query Q { all: bci_spikes { ...S kind: __typename } few: bci_spikes(filter: {implant_id: 5012},"
        + " sort: [{field: \"ts\"}], limit: 2) { ts } __typename } fragment S on bci_spikes { implant_id ts }";
    HttpResponse<InputStream> r = http.send(http.request("/api/graphql", ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    // written as the rows come, not as one body of known length
    assertThat(r.headers().firstValue("content-length")).isEmpty();
    JsonNode data;
    try (InputStream in = r.body()) {
      data = Http.JSON.readTree(in).path("data");
    }
    assertThat(data.fieldNames()).toIterable().containsExactly("all", "few", "__typename");
    assertThat(data.path("all")).hasSize(18_000);
    assertThat(data.path("all").get(0).fieldNames()).toIterable().containsExactly("implant_id", "ts", "kind");
    assertThat(data.path("all").get(0).path("kind").asText()).isEqualTo("bci_spikes");
    assertThat(HttpDoorTest.records(data.path("few"))).isEqualTo(HttpDoorTest.normalized(library(
        "SELECT ts FROM bci.spikes WHERE implant_id = 5012 ORDER BY ts LIMIT 2")));
    assertThat(data.path("__typename").asText()).isEqualTo("Query");
  }

  @Test
  void aGraphqlMistakeInAnyFieldIsAnErrorBeforeTheAnswerStarts() {
    HttpResponse<byte[]> r = http.post("/api/graphql", ADMIN_TOKEN, null,
        "{ a: tpch_part(limit: 1) { p_name } b: tpch_part(sort: [{field: \"nope\"}]) { p_name } }");
    assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(404);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("COLUMN_NOT_FOUND");
    // over the server's row cap: the rows stream until the cap is found, then the answer ends unfinished
    HttpResponse<InputStream> capped = small.send(small.request("/api/graphql", ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString("{ bci_spikes { ts implant_id } }")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    String body;
    try (InputStream in = capped.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      body = "(cut: " + e.getMessage() + ")";
    }
    assertThat(capped.statusCode() == 413 || !body.endsWith("]}}")).as(capped.statusCode() + " " + body).isTrue();
  }

  @Test
  void aClientThatLeavesMidResultDoesNotStopTheServer() throws Exception {
    String sql = "SELECT s.*, t.x FROM bci.spikes s CROSS JOIN range(40) t(x)";
    for (int round = 0; round < 3; round++) {
      HttpRequest request = http.request("/api/sql", ADMIN_TOKEN).header("Accept", "text/csv")
          .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        assertThat(in.readNBytes(1 << 20)).hasSize(1 << 20);
      } // closed after 1 MB of about 60: the server's next write fails and the query ends
    }
    assertThat(http.get("/health", null, null).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> r = http.post("/api/sql", ADMIN_TOKEN, null, "SELECT count(*) AS n FROM bci.spikes");
    assertThat(Http.text(r)).isEqualTo("[{\"n\":18000}]");
  }

  @Test
  void aQueryBeyondTheConcurrencyAndQueueBoundsIsTooManyRequests() throws Exception {
    ServerLimits d = ServerLimits.defaults();
    try (NeuralakeServer busy = lake.start(b -> b.pgPort(0).flightPort(0).limits(new ServerLimits(d.query(), 1, 0,
        d.queueTimeout(), d.maxRequestBytes(), d.maxHeaderBytes(), d.idleTimeout(), d.shutdownGrace())))) {
      Http one = new Http(busy.httpPort().orElseThrow());
      // a large result its client does not read holds the only query slot
      HttpRequest slow = one.request("/api/sql", ADMIN_TOKEN).header("Accept", "application/x-ndjson")
          .POST(HttpRequest.BodyPublishers.ofString("SELECT s.*, t.x FROM bci.spikes s CROSS JOIN range(40) t(x)"))
          .build();
      HttpResponse<InputStream> holding = one.send(slow, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = holding.body()) {
        assertThat(holding.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> refused = one.post("/api/sql", ADMIN_TOKEN, null, "SELECT 1");
        assertThat(refused.statusCode()).as(Http.text(refused)).isEqualTo(429);
        assertThat(Http.json(refused).path("error").path("code").asText()).isEqualTo("OVERLOADED");
        assertThat(one.get("/health", null, null).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void closingTheServerLetsARunningResultFinish() throws Exception {
    NeuralakeServer closing = lake.start(b -> b.pgPort(0).flightPort(0));
    Http one = new Http(closing.httpPort().orElseThrow());
    HttpRequest big = one.request("/api/sql", ADMIN_TOKEN).header("Accept", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofString("SELECT s.*, t.x FROM bci.spikes s CROSS JOIN range(40) t(x)"))
        .build();
    HttpResponse<InputStream> r = one.send(big, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    Thread closer = Thread.ofVirtual().start(closing::close);
    long lines = 0;
    try (InputStream in = r.body()) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          lines += buffer[i] == '\n' ? 1 : 0;
        }
      }
    }
    closer.join(Http.TIMEOUT);
    assertThat(closer.isAlive()).isFalse();
    assertThat(lines).isEqualTo(720_001); // the header and every row
  }

  @Test
  void aSilentClientIsDisconnectedAfterTheIdleTimeout() throws Exception {
    ServerLimits d = ServerLimits.defaults();
    try (NeuralakeServer strict = lake.start(b -> b.pgPort(0).flightPort(0).limits(new ServerLimits(d.query(),
        d.maxConcurrentQueries(), d.maxQueuedQueries(), d.queueTimeout(), d.maxRequestBytes(), d.maxHeaderBytes(),
        java.time.Duration.ofMillis(500), d.shutdownGrace())));
        java.net.Socket socket = new java.net.Socket("127.0.0.1", strict.httpPort().orElseThrow())) {
      socket.setSoTimeout(30_000);
      // half a request head, then silence: the server must not wait for the rest forever
      socket.getOutputStream().write("POST /api/sql HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] answer = socket.getInputStream().readAllBytes(); // returns when the server closes the connection
      assertThat(new String(answer, StandardCharsets.US_ASCII)).doesNotContain("200 OK");
      assertThat(new Http(strict.httpPort().orElseThrow()).get("/health", null, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anErrorAfterTheResponseBeganEndsItAbruptly() throws Exception {
    ServerLimits d = ServerLimits.defaults();
    try (NeuralakeServer capped = lake.start(b -> b.pgPort(0).flightPort(0).limits(new ServerLimits(
        QueryLimits.none().withMaxRows(100_000), d.maxConcurrentQueries(), d.maxQueuedQueries(), d.queueTimeout(),
        d.maxRequestBytes(), d.maxHeaderBytes(), d.idleTimeout(), d.shutdownGrace())))) {
      Http one = new Http(capped.httpPort().orElseThrow());
      // the row limit is found batch by batch: after many MB were sent, with the status already 200
      HttpRequest big = one.request("/api/sql", ADMIN_TOKEN).header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("SELECT s.*, t.x FROM bci.spikes s CROSS JOIN range(40) t(x)"))
          .build();
      HttpResponse<InputStream> r = one.send(big, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      IOException cut = null;
      try (InputStream in = r.body()) {
        in.transferTo(got);
      } catch (IOException e) {
        cut = e;
      }
      // the client learns the body is incomplete (no final chunk), and the JSON array never closes
      assertThat(cut).as("reading a truncated response fails").isNotNull();
      assertThat(got.size()).isGreaterThan(1 << 20);
      assertThat(got.toString(StandardCharsets.UTF_8)).doesNotEndWith("]");
      assertThat(one.get("/health", null, null).statusCode()).isEqualTo(200);
      assertThat(Http.text(one.get("/metrics", ADMIN_TOKEN, null))).contains("status=\"ROW_LIMIT\"");
    }
  }

  @Test
  void aResultOverTheRowLimitIsRefusedWithAnError() {
    HttpResponse<byte[]> r = small.post("/api/sql", ADMIN_TOKEN, "application/json", "SELECT * FROM bci.spikes");
    assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(413);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("ROW_LIMIT");
    HttpResponse<byte[]> within = small.post("/api/sql", ADMIN_TOKEN, null, "SELECT * FROM tpch.part LIMIT 10");
    assertThat(within.statusCode()).isEqualTo(200);
  }

  @Test
  void requestBodiesAndHeadsAreBounded() {
    HttpResponse<byte[]> body = small.post("/api/sql", ADMIN_TOKEN, null, "SELECT 1 -- " + "x".repeat(5_000));
    assertThat(body.statusCode()).isEqualTo(413);
    assertThat(Http.json(body).path("error").path("code").asText()).isEqualTo("REQUEST_TOO_LARGE");
    HttpResponse<byte[]> head = small.send(small.request("/health", null).header("X-Padding", "y".repeat(4_000))
        .GET().build());
    assertThat(head.statusCode()).isEqualTo(431);
    assertThat(small.get("/health", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void csvQuotesWhatNeedsQuoting() {
    HttpResponse<byte[]> r = http.post("/api/sql", ADMIN_TOKEN, "text/csv",
        "SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z, DATE '2024-04-28' AS d");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("x,y,z,d\r\n\"a,b\",\"say \"\"hi\"\"\",,2024-04-28\r\n");
  }
}
