package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static io.neuralake.server.ServerFixture.BCI_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.SortKey;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP door's routes, against a real server, compared with the library's own reads. */
class HttpDoorTest {
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

  static List<Map<String, Object>> library(String sql) {
    try (DataFrame df = lake.catalog.sql(sql).collect()) {
      return df.rows();
    }
  }

  /** JSON records as the library's rows would print them (numbers as numbers, the rest as text). */
  static List<Map<String, Object>> records(JsonNode array) {
    try {
      return Http.JSON.readValue(array.toString(), new com.fasterxml.jackson.core.type.TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<Map<String, Object>> normalized(List<Map<String, Object>> rows) {
    List<Map<String, Object>> shown = rows.stream().map(r -> {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      r.forEach((k, v) -> m.put(k, v instanceof java.time.temporal.Temporal t ? t.toString().length() == 16
          ? t + ":00" : t.toString() : v));
      return m;
    }).toList();
    try {
      // through JSON text, as the response went: numbers come back with the same Java types
      return Http.JSON.readValue(Http.JSON.writeValueAsBytes(shown), new com.fasterxml.jackson.core.type.TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void healthNeedsNoToken() {
    HttpResponse<byte[]> r = http.get("/health", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.json(r).path("status").asText()).isEqualTo("ok");
  }

  @Test
  void sqlAnswersJsonRecordsEqualToTheLibrary() {
    String sql = "SELECT p_partkey, p_name, p_retailprice FROM tpch.part WHERE p_size > 45 ORDER BY p_partkey";
    HttpResponse<byte[]> r = http.post("/api/sql", ADMIN_TOKEN, "application/json", sql);
    assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
    List<Map<String, Object>> expected = library(sql);
    assertThat(expected).hasSizeGreaterThan(50);
    assertThat(records(Http.json(r))).isEqualTo(normalized(expected));
  }

  @Test
  void restReadsWithTypedFiltersColumnsSortAndPagesEqualTheLibrary() {
    HttpResponse<byte[]> r = http.get("/api/tables/bci.spikes?filter[implant_id]=4595&filter[date]gte=2024-04-28"
        + "&filter[channel]lt=3&filter[ts]gte=2024-04-28T10:00:00&columns=ts,channel,spike_count&sort=-ts,channel"
        + "&limit=20&page=2", ADMIN_TOKEN, null);
    assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
    List<Map<String, Object>> expected;
    try (DataFrame df = lake.catalog.db("bci").table("spikes", Filter.eq("implant_id", 4595L),
        Filter.ge("date", "2024-04-28"), Filter.lt("channel", 3), Filter.ge("ts", "2024-04-28T10:00:00"))
        .sort(SortKey.desc("ts"), SortKey.asc("channel")).slice(20, 20).select("ts", "channel", "spike_count")
        .collect()) {
      expected = df.rows();
    }
    assertThat(expected).hasSize(20);
    assertThat(records(Http.json(r))).isEqualTo(normalized(expected));
  }

  @Test
  void theSlashedTableNameIsTheSameRead() {
    String q = "?filter[o_orderstatus]=F&filter[o_totalprice]gt=300000&sort=o_orderkey&columns=o_orderkey,o_orderdate";
    HttpResponse<byte[]> dotted = http.get("/api/tables/tpch.orders" + q, ADMIN_TOKEN, "text/csv");
    HttpResponse<byte[]> slashed = http.get("/api/tables/tpch/orders" + q, ADMIN_TOKEN, "application/csv");
    assertThat(dotted.statusCode()).as(Http.text(dotted)).isEqualTo(200);
    assertThat(Http.text(slashed)).isEqualTo(Http.text(dotted));
    List<Map<String, Object>> expected = library("SELECT o_orderkey, o_orderdate FROM tpch.orders"
        + " WHERE o_orderstatus = 'F' AND o_totalprice > 300000 ORDER BY o_orderkey");
    StringBuilder csv = new StringBuilder("o_orderkey,o_orderdate\r\n");
    expected.forEach(row -> csv.append(row.get("o_orderkey")).append(',').append(row.get("o_orderdate")).append("\r\n"));
    assertThat(expected).isNotEmpty();
    assertThat(Http.text(dotted)).isEqualTo(csv.toString());
  }

  @Test
  void nullAndInAndContainsFilters() {
    HttpResponse<byte[]> none = http.get("/api/tables/tpch.part?filter[p_name]=NULL", ADMIN_TOKEN, null);
    assertThat(Http.json(none)).isEmpty();
    HttpResponse<byte[]> in = http.get("/api/tables/tpch.part?filter[p_partkey]in=3,5,7&columns=p_partkey"
        + "&sort=p_partkey", ADMIN_TOKEN, "application/x-ndjson");
    assertThat(Http.text(in)).isEqualTo("{\"p_partkey\":3}\n{\"p_partkey\":5}\n{\"p_partkey\":7}\n");
    HttpResponse<byte[]> contains = http.get("/api/tables/tpch.part?filter[p_name]contains=green&filter[p_name]ne=NULL"
        + "&columns=p_partkey&sort=p_partkey", ADMIN_TOKEN, null);
    assertThat(records(Http.json(contains))).isEqualTo(normalized(library("SELECT p_partkey FROM tpch.part"
        + " WHERE contains(p_name, 'green') ORDER BY p_partkey")));
  }

  @Test
  void aDatabaseTheUserMayNotReadIsNotFound() {
    HttpResponse<byte[]> r = http.get("/api/tables/tpch.part", BCI_TOKEN, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("DATABASE_NOT_FOUND");
    assertThat(Http.text(r)).doesNotContain("tpch' exists");
    HttpResponse<byte[]> sql = http.post("/api/sql", BCI_TOKEN, null, "SELECT count(*) FROM tpch.part");
    assertThat(sql.statusCode()).isEqualTo(404);
    HttpResponse<byte[]> own = http.get("/api/tables/bci.spikes?limit=1", BCI_TOKEN, null);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(Http.text(http.get("/api/catalog", BCI_TOKEN, null))).contains("spikes").doesNotContain("tpch");
  }

  @Test
  void missingOrWrongTokensAreUnauthorized() {
    HttpResponse<byte[]> none = http.post("/api/sql", null, null, "SELECT 1");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"neuralake\"");
    assertThat(Http.json(none).path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(http.get("/metrics", "wrong-token-0000000000", null).statusCode()).isEqualTo(401);
  }

  @Test
  void metricsCountQueriesInPrometheusText() {
    http.post("/api/sql", ADMIN_TOKEN, null, "SELECT 42 AS answer");
    HttpResponse<byte[]> r = http.get("/metrics", ADMIN_TOKEN, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    assertThat(Http.text(r)).contains("neuralake_queries_total{door=\"http\",status=\"OK\"}");
  }

  @Test
  void schemaCatalogVersionAndOpenApi() {
    JsonNode schemas = Http.json(http.get("/api/schema", ADMIN_TOKEN, null));
    assertThat(schemas.fieldNames()).toIterable().containsExactlyInAnyOrder("bci.spikes", "tpch.part", "tpch.orders");
    JsonNode part = Http.json(http.get("/api/schema/tpch.orders", ADMIN_TOKEN, null));
    assertThat(part.path("fields").get(0).path("name").asText()).isEqualTo("o_orderkey");
    assertThat(part.path("fields").get(0).path("data_type").asText()).isEqualTo("int64");
    JsonNode catalog = Http.json(http.get("/api/catalog", ADMIN_TOKEN, null));
    JsonNode spikes = catalog.path("databases").get(0).path("tables").get(0);
    assertThat(spikes.path("qualified_name").asText()).isEqualTo("bci.spikes");
    assertThat(spikes.path("description").asText()).isEqualTo("Binned spike counts per channel.");
    assertThat(spikes.path("partitions").get(0).path("column").asText()).isEqualTo("implant_id");
    assertThat(spikes.path("columns").toString()).contains("spike_count");
    assertThat(Http.json(http.get("/api/version", ADMIN_TOKEN, null)).path("name").asText()).isEqualTo("neuralake");
    JsonNode api = Http.json(http.get("/api/openapi.json", ADMIN_TOKEN, null));
    assertThat(api.path("openapi").asText()).startsWith("3.");
    JsonNode read = api.path("paths").path("/api/tables/bci.spikes").path("get");
    assertThat(read.path("parameters").toString()).contains("filter[implant_id]", "filter[date]", "columns", "sort");
    assertThat(api.path("paths").has("/api/tables/tpch.orders")).isTrue();
  }

  @Test
  void graphqlReadsTablesInRoapisShape() {
    String query = "{ tpch_part(filter: {p_size: {gt: 45}, p_brand: \"Brand#13\"}, sort: [{field: \"p_partkey\","
        + " order: \"desc\"}], limit: 3) { p_partkey p_size } }";
    HttpResponse<byte[]> r = http.post("/api/graphql", ADMIN_TOKEN, null, query);
    assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
    List<Map<String, Object>> expected = library("SELECT p_partkey, p_size FROM tpch.part WHERE p_size > 45"
        + " AND p_brand = 'Brand#13' ORDER BY p_partkey DESC LIMIT 3");
    assertThat(records(Http.json(r).path("data").path("tpch_part"))).isEqualTo(normalized(expected));
    HttpResponse<byte[]> json = http.post("/api/graphql", ADMIN_TOKEN, null, "{\"query\": \"{ bci_spikes(filter:"
        + " {implant_id: 5012, date: {in: [\\\"2024-04-29\\\"]}}, limit: 2, sort: [{field: \\\"ts\\\"}]) { ts implant_id } }\"}");
    assertThat(Http.text(json)).as(Http.text(json))
        .isEqualTo("{\"data\":{\"bci_spikes\":[{\"ts\":\"2024-04-29T00:00:00\",\"implant_id\":5012},"
            + "{\"ts\":\"2024-04-29T00:00:40\",\"implant_id\":5012}]}}");
  }
}
