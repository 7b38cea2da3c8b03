package io.neuralake.engine;

/** A query failed in the engine: bad SQL, a type error, a missing file. The message says which. */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueryException(String message, Throwable cause) {
    super(message, cause);
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
}
