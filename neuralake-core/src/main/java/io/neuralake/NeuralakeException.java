package io.neuralake;

import static java.util.Objects.requireNonNull;

/**
 * The family of Neuralake's errors: a message fit to show a user as it is (it names the table,
 * column, value, file or setting and how to fix it), and an {@link ErrorCode} front ends map to an
 * exit status, an HTTP status or a SQLSTATE through its {@link ErrorCategory}.
 */
public class NeuralakeException extends RuntimeException implements CodedError {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public NeuralakeException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public NeuralakeException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.code = requireNonNull(code, "code");
  }

  /**
   * An error that says more about a failure (which table, which file) and keeps its code: that of
   * the failure, as {@link ErrorCode#of} finds it.
   */
  public static NeuralakeException of(String message, Throwable cause) {
    return new NeuralakeException(ErrorCode.of(cause), message, requireNonNull(cause, "cause"));
  }

  @Override
  public ErrorCode code() {
    return code;
  }

  @Override
  public ErrorCategory category() {
    return code.category();
  }
}
