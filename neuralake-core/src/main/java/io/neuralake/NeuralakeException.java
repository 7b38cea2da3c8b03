package io.neuralake;

import static java.util.Objects.requireNonNull;

/**
 * The family of Neuralake's errors: a message fit to show a user as it is (it names the table,
 * column, value, file or setting and how to fix it), and an {@link ErrorCode} front ends map to an
 * exit status, an HTTP status or a SQLSTATE through its {@link ErrorCategory}.
 */
public class NeuralakeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public NeuralakeException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public NeuralakeException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.code = requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  public ErrorCategory category() {
    return code.category();
  }
}
