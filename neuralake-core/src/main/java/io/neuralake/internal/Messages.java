package io.neuralake.internal;

/** Pieces of other libraries' messages that ours quote. */
public final class Messages {
  private Messages() {}

  /** The first line of a library's message (engines and SDKs append plans, stack hints and ids below it); "" for none. */
  public static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
