package io.neuralake.storage;

import java.io.IOException;

/** A storage request failed; the message names the location and what to check or set. */
public final class StorageException extends IOException {
  private static final long serialVersionUID = 1L;
  private final boolean notFound;

  public StorageException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public StorageException(String message, Throwable cause, boolean notFound) {
    super(message, cause);
    this.notFound = notFound;
  }

  /** Whether the object (or bucket) does not exist, as opposed to a failure to reach or read it. */
  public boolean notFound() {
    return notFound;
  }
}
