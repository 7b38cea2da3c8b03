package io.neuralake.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A plain HTTP/1.1 client for one server, with timeouts on every call. */
final class Http {
  // one JSON document per body: trailing text (a second error appended, say) fails the parse
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client;
  private final String base;

  Http(int port) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .build();
    this.base = "http://127.0.0.1:" + port;
  }

  /** HTTPS, trusting what {@code ssl} trusts and checking the server's name ({@code localhost} here). */
  Http(int port, SSLContext ssl) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .sslContext(ssl).build();
    this.base = "https://localhost:" + port;
  }

  String base() {
    return base;
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  HttpResponse<byte[]> get(String path, String token, String accept) {
    HttpRequest.Builder b = request(path, token).GET();
    if (accept != null) {
      b.header("Accept", accept);
    }
    return send(b.build());
  }

  HttpResponse<byte[]> post(String path, String token, String accept, String body) {
    HttpRequest.Builder b = request(path, token).POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return send(b.build());
  }

  HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return client.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + new String(response.body(), UTF_8), e);
    }
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }
}
