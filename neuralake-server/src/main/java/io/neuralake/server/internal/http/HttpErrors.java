package io.neuralake.server.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into answers: {@code {"error": {"code": "...", "message": "..."}}} with the
 * status the error's category maps to, before anything of a result was sent; after that, an
 * abruptly ended response, so no client mistakes a truncated result for a complete one.
 */
final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private HttpErrors() {}

  /** Answers a failure: a JSON error while the response is not committed, else aborts it. */
  static void answer(Context ctx, Exception e) {
    ErrorCode code = code(e);
    int status = status(e, code);
    String message = message(e, code);
    String allow = e instanceof MethodNotAllowedResponse m ? m.getDetails().get("availableMethods") : null;
    if (allow != null) {
      message = ctx.method() + " is not allowed on " + ctx.path() + "; use " + allow;
    }
    HttpServletResponse res = ctx.res();
    if (res.isCommitted()) {
      LOG.warn("{} {} failed after its response began, ending it abruptly: {} {}", ctx.method(), ctx.path(), code,
          message);
      abort(ctx, e);
      return;
    }
    if (code == ErrorCode.INTERNAL) {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
    }
    res.reset();
    if (code == ErrorCode.UNAUTHENTICATED) {
      res.setHeader("WWW-Authenticate", "Bearer realm=\"neuralake\"");
    }
    if (allow != null) {
      res.setHeader("Allow", allow);
    }
    write(res, status, code.name(), message);
  }

  static void write(HttpServletResponse res, int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      res.setStatus(status);
      res.setContentType("application/json");
      res.setCharacterEncoding(StandardCharsets.UTF_8.name());
      res.setContentLength(bytes.length);
      res.getOutputStream().write(bytes);
    } catch (IOException io) {
      LOG.debug("the client left before its error was sent: {}", io.toString());
    }
  }

  /** Ends the exchange without completing the response: the connection is closed mid-body. */
  static void abort(Context ctx, Throwable cause) {
    ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(cause);
  }

  static ErrorCode code(Exception e) {
    if (e instanceof HttpResponseException h) {
      return switch (h.getStatus()) {
        case 404 -> ErrorCode.OBJECT_NOT_FOUND;
        case 405 -> ErrorCode.NOT_SUPPORTED;
        case 413, 431 -> ErrorCode.REQUEST_TOO_LARGE;
        case 401 -> ErrorCode.UNAUTHENTICATED;
        case 403 -> ErrorCode.FORBIDDEN;
        case 429 -> ErrorCode.OVERLOADED;
        case 503 -> ErrorCode.STORAGE_UNAVAILABLE;
        default -> h.getStatus() < 500 ? ErrorCode.INVALID_ARGUMENT : ErrorCode.INTERNAL;
      };
    }
    return ErrorCode.of(e);
  }

  private static int status(Exception e, ErrorCode code) {
    if (e instanceof HttpResponseException h && h.getStatus() >= 400 && h.getStatus() < 600) {
      return h.getStatus();
    }
    return code.httpStatus();
  }

  private static String message(Exception e, ErrorCode code) {
    if (e instanceof NeuralakeException || e instanceof HttpResponseException) {
      return e.getMessage();
    }
    if (code == ErrorCode.INTERNAL) {
      // an internal failure's text may name internals; the log has it
      return "the server failed to answer (" + e.getClass().getSimpleName() + "); the server log has the details";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NeuralakeException n) {
        return n.getMessage();
      }
    }
    return String.valueOf(e.getMessage());
  }
}
