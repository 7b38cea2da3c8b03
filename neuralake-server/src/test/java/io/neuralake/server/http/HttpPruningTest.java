package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST and GraphQL filters on partition columns prune partitions before anything is read: with
 * one partition's file destroyed, reads that filter it away succeed, and reads that need it fail.
 */
class HttpPruningTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;
  static NeuralakeServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    lake = ServerFixture.create(dir);
    Files.write(lake.lake.resolve("spikes/implant_id=5012/date=2024-04-29/part-0.parquet"),
        "not a parquet file".repeat(10).getBytes());
    server = lake.start(b -> b.pgPort(0).flightPort(0));
    http = new Http(server.httpPort().orElseThrow());
  }

  @AfterAll
  static void stop() {
    server.close();
    lake.close();
  }

  @Test
  void filtersOnPartitionColumnsSkipTheOtherPartitions() {
    HttpResponse<byte[]> one = http.get("/api/tables/bci.spikes?filter[implant_id]=4595&columns=channel",
        ADMIN_TOKEN, null);
    assertThat(one.statusCode()).as(Http.text(one)).isEqualTo(200);
    assertThat(Http.json(one)).hasSize(6_000);
    HttpResponse<byte[]> dates = http.get("/api/tables/bci.spikes?filter[implant_id]=5012"
        + "&filter[date]lt=2024-04-29&columns=date", ADMIN_TOKEN, null);
    assertThat(dates.statusCode()).as(Http.text(dates)).isEqualTo(200);
    assertThat(Http.json(dates)).hasSize(4_000);
    HttpResponse<byte[]> in = http.get("/api/tables/bci.spikes?filter[date]in=2024-04-27,2024-04-28&columns=date",
        ADMIN_TOKEN, null);
    assertThat(Http.json(in)).hasSize(12_000);
    HttpResponse<byte[]> graphql = http.post("/api/graphql", ADMIN_TOKEN, null,
        "{ bci_spikes(filter: {implant_id: {ne: 5012}}) { channel } }");
    assertThat(graphql.statusCode()).as(Http.text(graphql)).isEqualTo(200);
    assertThat(Http.json(graphql).path("data").path("bci_spikes")).hasSize(12_000);
  }

  @Test
  void aReadThatNeedsTheBrokenPartitionFailsWithAnError() {
    HttpResponse<byte[]> all = http.get("/api/tables/bci.spikes?columns=channel", ADMIN_TOKEN, null);
    assertThat(all.statusCode()).as(Http.text(all)).isGreaterThanOrEqualTo(400);
    assertThat(Http.json(all).path("error").path("message").asText()).isNotBlank();
    // a non-partition filter cannot prune: the broken file is read
    HttpResponse<byte[]> channel = http.get("/api/tables/bci.spikes?filter[channel]=3", ADMIN_TOKEN, null);
    assertThat(channel.statusCode()).isGreaterThanOrEqualTo(400);
  }
}
