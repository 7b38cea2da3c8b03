package io.neuralake.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.neuralake.ErrorCode;
import io.neuralake.server.ServerLimits;
import java.io.IOException;
import java.io.PrintWriter;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches a route (a head or URL over the limit, a request
 * that does not parse), in the same JSON as every other error instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {
  private final ServerLimits limits;

  JettyErrors(ServerLimits limits) {
    this.limits = limits;
    setDefaultResponseMimeType("application/json");
    setShowStacks(false);
  }

  /**
   * A request refused before routing (too large, or not parsing) leaves the connection in an
   * unknown state, so Jetty closes it; saying so in the response keeps clients from sending their
   * next request on it (Jetty says it for some of these refusals, not for a URL over the limit).
   */
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    if (code == 400 || code == 413 || code == 414 || code == 431) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    super.generateResponse(request, response, code, message, cause, callback);
  }

  @Override
  protected void writeErrorJson(Request request, PrintWriter writer, int status, String message, Throwable cause) {
    ErrorCode code = switch (status) {
      case 413, 414, 431 -> ErrorCode.REQUEST_TOO_LARGE;
      case 404 -> ErrorCode.OBJECT_NOT_FOUND;
      default -> status < 500 ? ErrorCode.INVALID_ARGUMENT : ErrorCode.INTERNAL;
    };
    String text = switch (status) {
      case 414, 431 -> "the request's " + (status == 414 ? "URL" : "head (request line and headers)") + " is over "
          + limits.maxHeaderBytes() + " bytes, the most this server takes; send less (long filters: POST /api/sql)";
      default -> "the request was refused: " + (message == null ? "HTTP " + status : message);
    };
    try {
      writer.write(HttpErrors.JSON.writeValueAsString(HttpErrors.JSON.createObjectNode().set("error",
          HttpErrors.JSON.createObjectNode().put("code", code.name()).put("message", text))));
    } catch (JsonProcessingException e) {
      writer.write("{\"error\": {\"code\": \"INTERNAL\", \"message\": \"HTTP " + status + "\"}}");
    }
  }
}
