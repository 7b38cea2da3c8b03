package io.neuralake.storage;

import java.io.IOException;

/** A storage request failed; the message names the location and what to check or set. */
public final class StorageException extends IOException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
