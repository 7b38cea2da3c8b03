package io.neuralake.internal.scan;

import static java.util.Objects.requireNonNull;

import io.neuralake.internal.BoundedMaps;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.runtime.RuntimeComponents;
import io.neuralake.storage.Listing;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.StoreMetrics;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Listings of Parquet table folders, reused for a time to live: a Parquet folder has no log that
 * says what exists, so a listing is the only way to know, and on S3 it costs a request per folder
 * (and per query). Within the TTL a read plans from the listing it last saw; files added since are
 * not seen, files removed since fail the read when opened, until the TTL passes or
 * {@link LakeRuntime#refresh()}. One per runtime; keyed by store identity and folder.
 */
public final class ListingCache implements AutoCloseable, RuntimeComponents.Cache {
  /** Bound on folders remembered (the least recently used are forgotten). */
  private static final int MAX_ENTRIES = 10_000;

  private record Listed(long listedAtNanos, Object value) {}

  private final Map<String, Listed> entries = BoundedMaps.leastRecentlyUsed(MAX_ENTRIES);

  private ListingCache(LakeRuntime runtime) {}

  /** The context's runtime's cache. */
  public static ListingCache of(LakeContext context) {
    return RuntimeComponents.of(context.runtime(), ListingCache.class, ListingCache::new);
  }

  /**
   * The store as a Parquet table at {@code table} should list it: listings (and the existence
   * check of a single file) are reused for the table's TTL, else the runtime's for that location.
   */
  public static ObjectStore forTable(LakeContext context, ObjectStore store, Location table, Optional<Duration> tableTtl) {
    Duration ttl = tableTtl.orElseGet(() -> context.runtime().listingTtlFor(table));
    return ttl.isZero() ? store : of(context).view(store, ttl);
  }

  ObjectStore view(ObjectStore store, Duration ttl) {
    return new View(requireNonNull(store, "store"), ttl.toNanos());
  }

  @Override
  public void refresh() {
    entries.clear();
  }

  @Override
  public void close() {
    entries.clear();
  }

  @FunctionalInterface
  private interface Lister<T> {
    T list() throws IOException;
  }

  /** The store, with head and list answers served from the cache while they are fresh. */
  private final class View implements ObjectStore {
    private final ObjectStore store;
    private final long ttlNanos;

    View(ObjectStore store, long ttlNanos) {
      this.store = store;
      this.ttlNanos = ttlNanos;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String kind, Location location, Lister<T> lister) throws IOException {
      String key = store.identity() + "\u0000" + kind + "\u0000" + location;
      long now = System.nanoTime();
      Listed e = entries.get(key);
      if (e != null && now - e.listedAtNanos() < ttlNanos) {
        return (T) e.value();
      }
      T value = lister.list();
      entries.put(key, new Listed(now, value));
      return value;
    }

    @Override
    public Optional<ObjectInfo> head(Location location) throws IOException {
      return cached("head", location, () -> store.head(location));
    }

    @Override
    public List<ObjectInfo> list(Location folder) throws IOException {
      return cached("list", folder, () -> List.copyOf(store.list(folder)));
    }

    @Override
    public Listing listLevel(Location folder) throws IOException {
      return cached("level", folder, () -> store.listLevel(folder));
    }

    @Override
    public List<ObjectInfo> listFrom(Location file) throws IOException {
      return cached("from", file, () -> List.copyOf(store.listFrom(file)));
    }

    @Override
    public byte[] get(Location location) throws IOException {
      return store.get(location);
    }

    @Override
    public byte[] getRange(Location location, long offset, int length) throws IOException {
      return store.getRange(location, offset, length);
    }

    @Override
    public void put(Location location, byte[] content) throws IOException {
      store.put(location, content);
    }

    @Override
    public void putFile(Location location, Path file) throws IOException {
      store.putFile(location, file);
    }

    @Override
    public void moveFile(Location location, Path file) throws IOException {
      store.moveFile(location, file);
    }

    @Override
    public boolean putIfAbsent(Location location, byte[] content) throws IOException {
      return store.putIfAbsent(location, content);
    }

    @Override
    public void delete(Location location) throws IOException {
      store.delete(location);
    }

    @Override
    public Path localFile(ObjectInfo object) throws IOException {
      return store.localFile(object);
    }

    @Override
    public Optional<Path> localCopy(ObjectInfo object) throws IOException {
      return store.localCopy(object);
    }

    @Override
    public List<Path> localFiles(List<ObjectInfo> objects) throws IOException {
      return store.localFiles(objects);
    }

    @Override
    public String identity() {
      return store.identity();
    }

    @Override
    public StoreMetrics metrics() {
      return store.metrics();
    }

    /** The store belongs to its storage, which closes it. */
    @Override
    public void close() {}
  }
}
