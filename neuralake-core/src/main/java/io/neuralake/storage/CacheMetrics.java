package io.neuralake.storage;

import java.util.concurrent.atomic.AtomicLong;

/** What the cache did: hits, misses, refetches of corrupt files, evictions and bytes downloaded. */
public final class CacheMetrics {
  final AtomicLong hits = new AtomicLong();
  final AtomicLong misses = new AtomicLong();
  final AtomicLong corrupt = new AtomicLong();
  final AtomicLong evictions = new AtomicLong();
  final AtomicLong bytesFetched = new AtomicLong();

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }

  /** Cached files found damaged (wrong size) and fetched again. */
  public long corrupt() {
    return corrupt.get();
  }

  public long evictions() {
    return evictions.get();
  }

  public long bytesFetched() {
    return bytesFetched.get();
  }

  @Override
  public String toString() {
    return "hits=" + hits + " misses=" + misses + " corrupt=" + corrupt + " evictions=" + evictions
        + " bytesFetched=" + bytesFetched;
  }
}
