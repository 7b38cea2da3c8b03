package io.neuralake;

/**
 * A failure that knows its {@link ErrorCode}. {@link NeuralakeException} is one; a checked
 * exception that must keep its type for an interface's {@code throws} clause (a storage
 * failure is an {@link java.io.IOException} to the object store SPI) is another.
 */
public interface CodedError {
  ErrorCode code();

  default ErrorCategory category() {
    return code().category();
  }
}
