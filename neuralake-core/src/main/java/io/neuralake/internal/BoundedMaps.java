package io.neuralake.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps for caches of a runtime: thread-safe, bounded, forgetting the least recently used entry first. */
public final class BoundedMaps {
  private BoundedMaps() {}

  public static <K, V> Map<K, V> leastRecentlyUsed(int maxEntries) {
    return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > maxEntries;
      }
    });
  }
}
