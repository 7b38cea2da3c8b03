package io.neuralake.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.neuralake.ErrorCode;
import io.neuralake.server.ServerLimits;
import java.io.PrintWriter;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

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
