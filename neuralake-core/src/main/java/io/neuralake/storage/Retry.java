package io.neuralake.storage;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded retries with exponential backoff and full jitter, for failures the SDK cannot retry
 * itself (a connection dropped while a response body streams in).
 */
final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  private static final long BASE_MILLIS = 50;
  private static final long CAP_MILLIS = 5_000;

  interface Call<T> {
    T run() throws IOException;
  }

  private Retry() {}

  static <T> T run(String what, int attempts, Call<T> call) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return call.run();
      } catch (StorageException e) {
        throw e; // already retried by the SDK and translated: not transient
      } catch (IOException e) {
        last = e;
        if (attempt == attempts) {
          break;
        }
        long delay = ThreadLocalRandom.current().nextLong(Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 16)) + 1);
        LOG.debug("{} failed (attempt {}/{}): {}; retrying in {} ms", what, attempt, attempts, e.toString(), delay);
        try {
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException(what + " interrupted", ie);
        }
      }
    }
    throw new StorageException(what + " failed after " + attempts + " attempts: " + last.getMessage(), last);
  }
}
