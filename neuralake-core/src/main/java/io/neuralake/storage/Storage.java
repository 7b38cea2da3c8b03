package io.neuralake.storage;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.runtime.LakeRuntime;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The object stores a lake reads and writes: local files, and S3 for {@code s3://} locations.
 * S3 is configured from the environment unless options are given (per catalog here, or per
 * table); stores with equal options share one client and the file cache. Closing it closes its
 * stores and the cache it made; a {@link LakeRuntime} owns one.
 */
public final class Storage implements AutoCloseable {
  private final Map<String, ObjectStore> stores;
  private final Optional<S3Options> s3Options;
  private final FileCache cache;
  private final ConcurrentHashMap<S3Options, S3ObjectStore> s3Stores = new ConcurrentHashMap<>();
  private FileCache ownCache; // guarded by this
  private volatile boolean closed;

  private Storage(Builder b) {
    this.stores = Map.copyOf(b.stores);
    this.s3Options = Optional.ofNullable(b.s3Options);
    this.cache = b.cache;
  }

  /** Local files, and S3 configured from the environment when an s3:// location is first used. */
  public static Storage defaults() {
    return builder().build();
  }

  /** The default runtime's storage ({@link LakeRuntime#defaults()}), so catalogs and table handles share clients and the cache. */
  public static Storage shared() {
    return LakeRuntime.defaults().storage();
  }

  /** Same as {@link #defaults()}. */
  public static Storage local() {
    return defaults();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The store for a location, or an error naming the location and the schemes available. */
  public ObjectStore storeFor(Location location) {
    return storeFor(location, Optional.empty());
  }

  /** The store for a location, with a table's own S3 options if it has them. */
  public ObjectStore storeFor(Location location, Optional<S3Options> tableOptions) {
    requireOpen();
    ObjectStore store = stores.get(location.scheme());
    if (store != null) {
      return store;
    }
    if (location.scheme().equals(Location.S3)) {
      S3Options options = tableOptions.or(() -> s3Options).orElseGet(S3Options::fromEnvironment);
      return s3Stores.computeIfAbsent(options, o -> new S3ObjectStore(o, cache()));
    }
    throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "no object store is configured for " + location
        + "; configured schemes: " + String.join(", ", stores.keySet()) + ", s3");
  }

  /** The cache of remote files: the one given to the builder, else one configured by the environment. */
  public FileCache cache() {
    if (cache != null) {
      return cache;
    }
    synchronized (this) {
      requireOpen();
      if (ownCache == null) {
        // made on first use, not at build: a bad setting is then the error of the read that needs the cache
        ownCache = FileCache.fromEnvironment();
      }
      return ownCache;
    }
  }

  private void requireOpen() {
    if (closed) {
      throw LakeRuntime.closedError("use storage");
    }
  }

  /** Closes the stores (their clients and thread pools) and the cache this storage made itself. */
  @Override
  public void close() throws IOException {
    FileCache own;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      own = ownCache;
    }
    for (ObjectStore s : stores.values()) {
      s.close();
    }
    for (S3ObjectStore s : s3Stores.values()) {
      s.close();
    }
    if (own != null) {
      own.close();
    }
  }

  public static final class Builder {
    private final Map<String, ObjectStore> stores = new LinkedHashMap<>();
    private S3Options s3Options;
    private FileCache cache;

    private Builder() {
      stores.put(Location.FILE, new LocalObjectStore());
    }

    /** A store of your own for a scheme (tests, or other systems). */
    public Builder store(String scheme, ObjectStore store) {
      stores.put(requireNonNull(scheme, "scheme"), requireNonNull(store, "store"));
      return this;
    }

    /** S3 settings for the catalog's tables (instead of the environment's). */
    public Builder s3(S3Options options) {
      this.s3Options = requireNonNull(options, "options");
      return this;
    }

    /** The cache of remote files (instead of the one configured by the environment). */
    public Builder cache(FileCache fileCache) {
      this.cache = requireNonNull(fileCache, "cache");
      return this;
    }

    public Storage build() {
      return new Storage(this);
    }
  }
}
