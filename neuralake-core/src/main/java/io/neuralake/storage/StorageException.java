package io.neuralake.storage;

import static java.util.Objects.requireNonNull;

import io.neuralake.CodedError;
import io.neuralake.ErrorCategory;
import io.neuralake.ErrorCode;
import java.io.IOException;

/**
 * A storage request failed; the message names the location and what to check or set. It stays an
 * {@link IOException}, the failure of the {@link ObjectStore} SPI, and carries its
 * {@link ErrorCode}: {@link ErrorCode#OBJECT_NOT_FOUND}, {@link ErrorCode#BUCKET_NOT_FOUND},
 * {@link ErrorCode#STORAGE_ACCESS_DENIED} or {@link ErrorCode#STORAGE_UNAVAILABLE}.
 */
public final class StorageException extends IOException implements CodedError {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public StorageException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
    if (code.category() != ErrorCategory.STORAGE && code.category() != ErrorCategory.NOT_FOUND) {
      throw new IllegalArgumentException("a storage failure is a STORAGE or NOT_FOUND error, not " + code);
    }
  }

  /** A failure to reach or read the store ({@link ErrorCode#STORAGE_UNAVAILABLE}). */
  public StorageException(String message, Throwable cause) {
    this(ErrorCode.STORAGE_UNAVAILABLE, message, cause);
  }

  public StorageException(String message, Throwable cause, boolean notFound) {
    this(notFound ? ErrorCode.OBJECT_NOT_FOUND : ErrorCode.STORAGE_UNAVAILABLE, message, cause);
  }

  @Override
  public ErrorCode code() {
    return code;
  }

  /** Whether the object does not exist, as opposed to a failure to reach or read it (or a missing bucket). */
  public boolean notFound() {
    return code == ErrorCode.OBJECT_NOT_FOUND;
  }
}
