package io.neuralake.engine;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.engine.EngineErrors;

/**
 * A query failed in the engine: bad SQL, a type error, a missing file. The message says which,
 * and the code says what kind of failure it was (from the engine's kind of error, or from the
 * failure under it when Neuralake's own code failed while the engine ran).
 */
public final class QueryException extends NeuralakeException {
  private static final long serialVersionUID = 1L;

  public QueryException(String message, Throwable cause) {
    this(codeOf(cause), message, cause);
  }

  public QueryException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }

  /** Turns an engine error into a message for people: the engine's first line, without its noise. */
  public static QueryException of(String what, Exception e) {
    return new QueryException(what + ": " + engineMessage(e), e);
  }

  /** The engine's first lines of an error, on one line. */
  public static String engineMessage(Exception e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    msg = msg.replaceFirst("^java\\.sql\\.SQLException: ", "");
    return msg.lines().filter(l -> !l.isBlank()).limit(4).reduce((a, b) -> a + " " + b.strip()).orElse(msg);
  }

  /**
   * The code of a failure in the engine: that of a Neuralake error under it (a storage failure
   * while the engine read a stream, say), else the one the engine's kind of error stands for.
   */
  public static ErrorCode codeOf(Throwable cause) {
    ErrorCode known = ErrorCode.of(cause);
    if (known != ErrorCode.INTERNAL || cause == null) {
      return known;
    }
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      ErrorCode engine = EngineErrors.code(t.getMessage());
      if (engine != ErrorCode.INTERNAL) {
        return engine;
      }
    }
    return ErrorCode.INTERNAL;
  }
}
