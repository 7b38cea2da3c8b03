package io.neuralake.server.internal;

import java.time.Duration;

/** One way into the server (HTTP, Flight SQL, PostgreSQL wire), listening until closed. */
public interface Door extends AutoCloseable {
  /** Short name, for logs and metrics: {@code http}, {@code flight}, {@code pg}. */
  String name();

  /** The port it listens on (the one bound, when asked for port 0). */
  int port();

  /**
   * Stops accepting, lets what runs finish within {@code grace}, then cancels the rest and
   * closes every connection.
   */
  void close(Duration grace);

  @Override
  default void close() {
    close(Duration.ZERO);
  }

  /** Starts a door on the server's address and the port asked for. */
  @FunctionalInterface
  interface Opener {
    Door open(ServerContext context, int port) throws Exception;
  }
}
