package io.neuralake.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reverse proxy on loopback that serves a server under a sub-path ({@code /lake/} to {@code /}), as a site behind
 * a company's proxy is: the live site must reach its API by relative addresses to work there.
 */
final class SubPathProxy implements AutoCloseable {
  private static final Set<String> HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
      "keep-alive", "upgrade", "expect");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  SubPathProxy(String prefix, int targetPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(prefix, exchange -> forward(exchange, prefix, targetPort));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void forward(HttpExchange exchange, String prefix, int targetPort) throws IOException {
    try (exchange) {
      URI in = exchange.getRequestURI();
      String rest = in.getRawPath().substring(prefix.length() - 1);
      URI target = URI.create("http://127.0.0.1:" + targetPort + rest + (in.getRawQuery() == null ? ""
          : "?" + in.getRawQuery()));
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
          .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
        if (!HOP.contains(h.getKey().toLowerCase())) {
          h.getValue().forEach(v -> request.header(h.getKey(), v));
        }
      }
      HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      response.headers().map().forEach((name, values) -> {
        if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      boolean empty = response.statusCode() == 304 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
      try (InputStream from = response.body(); OutputStream to = exchange.getResponseBody()) {
        from.transferTo(to); // streamed: the console stops reading a long result after its first rows
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the browser left (the console aborts long results): nothing to answer
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
