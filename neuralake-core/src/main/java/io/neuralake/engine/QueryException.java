package io.neuralake.engine;

/** A query failed in the engine: bad SQL, a type error, a missing file. The message says which. */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Turns an engine error into a message for people: the engine's first line, without its noise. */
  public static QueryException of(String what, Exception e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    msg = msg.replaceFirst("^java\\.sql\\.SQLException: ", "");
    String detail = msg.lines().filter(l -> !l.isBlank()).limit(4).reduce((a, b) -> a + " " + b.strip()).orElse(msg);
    return new QueryException(what + ": " + detail, e);
  }
}
