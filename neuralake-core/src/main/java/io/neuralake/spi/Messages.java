package io.neuralake.spi;

/** Quoting a library's message in ours. */
public final class Messages {
  private Messages() {}

  /** The first line of a library's message (engines and SDKs append plans and ids below it); "" for none. */
  public static String firstLine(String message) {
    return io.neuralake.internal.Messages.firstLine(message);
  }
}
