package io.neuralake.runtime;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.Engine;
import io.neuralake.engine.EngineOptions;
import io.neuralake.internal.Env;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.S3Options;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a lake needs at run time, in one closeable object: the engine, the object stores and
 * their file cache, their thread pools, and every cache of table state (Delta snapshots and scan
 * results, commit queues, background checkpoints, listings), keyed by store identity and location
 * so that two endpoints or two sets of credentials never share state.
 *
 * <pre>{@code
 * try (LakeRuntime runtime = LakeRuntime.builder().cacheFolder(Path.of("/var/cache/lake")).build()) {
 *   Catalog catalog = Catalog.builder("lake").runtime(runtime).database("tpch", Tpch.class).build();
 *   ...
 * } // threads stopped, background checkpoints finished, engine closed, its spill folder removed
 * }</pre>
 *
 * <p>A program that never makes one uses {@link #defaults()}, configured from the environment and
 * created on first use; {@code Engine.shared()}, {@code Storage.shared()} and
 * {@code LakeContext.defaults()} are its parts. Parts are created when first used, so a runtime
 * that only plans never starts the engine. Parts given to the builder ({@link Builder#engine},
 * {@link Builder#storage}) are borrowed: the runtime uses them and never closes them.
 */
public final class LakeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LakeRuntime.class);
  /** Parquet folder listings on remote stores are reused this long unless configured. */
  public static final Duration DEFAULT_REMOTE_LISTING_TTL = Duration.ofSeconds(10);
  private static LakeRuntime defaults; // guarded by LakeRuntime.class
  /** The runtime installed by {@link #callWith} on this thread, if any. */
  private static final ThreadLocal<LakeRuntime> CURRENT = new ThreadLocal<>();
  private static boolean exitHookAdded; // guarded by LakeRuntime.class

  private final Optional<Location> root;
  private final EngineOptions engineOptions;
  private final Optional<Duration> listingTtl;
  private final Duration deltaLogTtl;
  private final Duration closeTimeout;
  private final StorageParts storageParts;
  private final boolean ownsEngine;
  private final boolean ownsStorage;
  private Engine engine; // guarded by this
  private Storage storage; // guarded by this
  private FileCache ownCache; // guarded by this; made here for the storage, so closed here
  private final Map<Class<?>, AutoCloseable> components = new LinkedHashMap<>(); // guarded by this
  private volatile boolean closed;

  /** What the runtime's own storage is made of, when it makes one. */
  private record StorageParts(Map<String, ObjectStore> stores, Optional<S3Options> s3, Optional<Path> cacheFolder,
      Optional<Long> cacheMaxBytes) {}

  private LakeRuntime(Builder b) {
    this.root = Optional.ofNullable(b.root);
    this.engineOptions = b.engine != null ? b.engine.options()
        : b.engineOptions != null ? b.engineOptions : EngineOptions.fromEnvironment();
    this.listingTtl = b.listingTtl != null ? Optional.of(b.listingTtl)
        : Env.get("NEURALAKE_LISTING_TTL", Env::parseDuration);
    this.deltaLogTtl = b.deltaLogTtl != null ? b.deltaLogTtl
        : Env.get("NEURALAKE_DELTA_LOG_TTL", Env::parseDuration).orElse(Duration.ZERO);
    this.closeTimeout = b.closeTimeout;
    this.storageParts = new StorageParts(Map.copyOf(b.stores), Optional.ofNullable(b.s3), Optional.ofNullable(b.cacheFolder),
        Optional.ofNullable(b.cacheMaxBytes));
    this.engine = b.engine;
    this.ownsEngine = b.engine == null;
    this.storage = b.storage;
    this.ownsStorage = b.storage == null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The process's default runtime, configured from the environment ({@code NEURALAKE_*} and
   * {@code AWS_*} settings) and created on first use. It is closed when the process exits
   * (background checkpoints get up to 30 seconds to finish). Closing it earlier is allowed: the
   * next call makes a new one, while objects holding the closed one fail with a clear error.
   */
  public static synchronized LakeRuntime defaults() {
    if (defaults == null || defaults.closed) {
      defaults = builder().build();
      if (!exitHookAdded) {
        exitHookAdded = true;
        try {
          Runtime.getRuntime().addShutdownHook(new Thread(LakeRuntime::closeDefaultsAtExit, "neuralake-runtime-exit"));
        } catch (IllegalStateException shuttingDown) {
          // first used by another shutdown hook: the process ends anyway
        }
      }
    }
    return defaults;
  }

  /**
   * The runtime that catalogs built on this thread use when they name none: the one installed by
   * {@link #callWith}, else {@link #defaults()}. This is how a server loads catalog code written
   * for the default runtime into a runtime of its own (a sandboxed engine, its own cache) without
   * changing that code: {@code Catalog.Builder.build()} asks for it.
   */
  public static LakeRuntime current() {
    LakeRuntime installed = CURRENT.get();
    return installed != null ? installed : defaults();
  }

  /**
   * Calls {@code work} with {@code runtime} as this thread's {@link #current()} runtime, then puts
   * back what was current before (calls nest). Only the calling thread sees it: code that builds
   * catalogs on other threads gets the default runtime there.
   */
  public static <T> T callWith(LakeRuntime runtime, Supplier<T> work) {
    requireNonNull(runtime, "runtime");
    requireNonNull(work, "work");
    if (runtime.closed) {
      throw closedError("load a catalog into it");
    }
    LakeRuntime previous = CURRENT.get();
    CURRENT.set(runtime);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  private static void closeDefaultsAtExit() {
    LakeRuntime current;
    synchronized (LakeRuntime.class) {
      current = defaults;
    }
    if (current != null) {
      current.close(true);
    }
  }

  /** The engine, started on first use. */
  public synchronized Engine engine() {
    requireOpen("use the engine");
    if (engine == null) {
      engine = Engine.create(engineOptions);
    }
    return engine;
  }

  /** The object stores and their file cache. */
  public synchronized Storage storage() {
    requireOpen("reach storage");
    if (storage == null) {
      Storage.Builder b = Storage.builder();
      storageParts.stores().forEach(b::store);
      storageParts.s3().ifPresent(b::s3);
      if (storageParts.cacheFolder().isPresent() || storageParts.cacheMaxBytes().isPresent()) {
        FileCache env = FileCache.fromEnvironment();
        ownCache = new FileCache(storageParts.cacheFolder().orElse(env.dir()),
            storageParts.cacheMaxBytes().orElse(env.maxBytes()), FileCache.DEFAULT_IN_USE_GRACE);
        b.cache(ownCache);
      }
      storage = b.build();
    }
    return storage;
  }

  /** Where relative table locations resolve: as built, else {@code NEURALAKE_LAKE_ROOT}, else the working directory. */
  public Location root() {
    return root.orElseGet(LakeContext::rootFromEnvironment);
  }

  /** The context of tables outside any catalog: this runtime's root, stores and engine. */
  public LakeContext context() {
    return new LakeContext(root(), storage(), engine(), this, Optional.empty());
  }

  /**
   * How long a Parquet table's folder listing is reused, when set ({@code NEURALAKE_LISTING_TTL}
   * or {@link Builder#listingTtl}); unset, listings on remote stores are reused for
   * {@link #DEFAULT_REMOTE_LISTING_TTL} and local folders are listed on every read. A table's own
   * setting ({@code ParquetTable.Builder.listingTtl}) wins over both.
   */
  public Optional<Duration> listingTtl() {
    return listingTtl;
  }

  /** The listing TTL for a table at {@code location} that sets none of its own. */
  public Duration listingTtlFor(Location location) {
    return listingTtl.orElse(location.isLocal() ? Duration.ZERO : DEFAULT_REMOTE_LISTING_TTL);
  }

  /**
   * How long the latest snapshot of a Delta table is reused before its log is listed again for
   * newer commits ({@code NEURALAKE_DELTA_LOG_TTL}, default 0: every read looks). Commits made
   * through this runtime are seen at once either way: they update the snapshot they commit.
   */
  public Duration deltaLogTtl() {
    return deltaLogTtl;
  }

  /**
   * Forgets cached listings and makes the next read of every Delta table look at its log, for
   * data changed by other processes within the listing TTLs.
   */
  public void refresh() {
    List<AutoCloseable> current;
    synchronized (this) {
      current = new ArrayList<>(components.values());
    }
    for (AutoCloseable c : current) {
      if (c instanceof RuntimeComponents.Cache cache) {
        cache.refresh();
      }
    }
  }

  public boolean isClosed() {
    return closed;
  }

  synchronized <T extends AutoCloseable> T component(Class<T> type, Function<LakeRuntime, T> create) {
    requireOpen("read or write tables");
    AutoCloseable existing = components.get(type);
    if (existing == null) {
      existing = requireNonNull(create.apply(this), "create returned null");
      components.put(type, existing);
    }
    return type.cast(existing);
  }

  private void requireOpen(String what) {
    if (closed) {
      throw closedError(what);
    }
  }

  /** The error for work asked of a closed runtime. */
  public static NeuralakeException closedError(String what) {
    return new NeuralakeException(ErrorCode.RUNTIME_CLOSED, "cannot " + what + ": the lake runtime is closed; use a"
        + " runtime (or catalog) that is still open, or LakeRuntime.defaults()");
  }

  /**
   * Closes the components (Delta's background checkpoints get up to the close timeout to finish;
   * what does not finish is logged), then the stores (their thread pools stop) and the engine (its
   * spill folder is removed). Borrowed parts stay open. Idempotent.
   */
  @Override
  public void close() {
    close(false);
  }

  /** At exit, results a program never closed are expected, so the engine's complaint about them is not a warning. */
  private void close(boolean atExit) {
    List<AutoCloseable> toClose;
    Storage ownStorage;
    FileCache cache;
    Engine ownEngine;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(components.values());
      components.clear();
      ownStorage = ownsStorage ? storage : null;
      cache = ownCache;
      ownEngine = ownsEngine ? engine : null;
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing the lake runtime's {}: {}", toClose.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    if (ownStorage != null) {
      try {
        ownStorage.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("closing the lake runtime's storage: {}", e.toString());
      }
    }
    if (cache != null) {
      cache.close();
    }
    if (ownEngine != null) {
      try {
        ownEngine.close();
      } catch (RuntimeException e) {
        // results still open (a leak, or a process exiting while it reads) keep their memory
        if (atExit) {
          LOG.debug("closing the lake runtime's engine at exit: {}", e.getMessage());
        } else {
          LOG.warn("closing the lake runtime's engine: {}", e.getMessage());
        }
      }
    }
  }

  /** How long closing waits for background work (checkpoints, downloads) before giving up on it. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  @Override
  public String toString() {
    return "LakeRuntime[root=" + root.map(Location::toString).orElse("(environment)") + ", " + engineOptions
        + (closed ? ", closed" : "") + "]";
  }

  public static final class Builder {
    private Location root;
    private EngineOptions engineOptions;
    private Engine engine;
    private Storage storage;
    private S3Options s3;
    private final Map<String, ObjectStore> stores = new LinkedHashMap<>();
    private Path cacheFolder;
    private Long cacheMaxBytes;
    private Duration listingTtl;
    private Duration deltaLogTtl;
    private Duration closeTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Where relative table locations resolve: a folder or {@code s3://bucket/prefix} (default: {@code NEURALAKE_LAKE_ROOT}). */
    public Builder root(String location) {
      this.root = Location.parse(requireNonNull(location, "location")).asFolder();
      return this;
    }

    /** The engine's memory, threads and spill folder (default: from the environment). */
    public Builder engineOptions(EngineOptions options) {
      this.engineOptions = requireNonNull(options, "options");
      return this;
    }

    /** An engine of your own, borrowed: the runtime uses it and does not close it. */
    public Builder engine(Engine engine) {
      this.engine = requireNonNull(engine, "engine");
      return this;
    }

    /** Storage of your own, borrowed (then the S3, store and cache settings here do not apply). */
    public Builder storage(Storage storage) {
      this.storage = requireNonNull(storage, "storage");
      return this;
    }

    /** S3 settings (default: the {@code AWS_*} environment). */
    public Builder s3(S3Options options) {
      this.s3 = requireNonNull(options, "options");
      return this;
    }

    /** A store of your own for a scheme (tests, or other systems); closed with the runtime. */
    public Builder store(String scheme, ObjectStore store) {
      stores.put(requireNonNull(scheme, "scheme"), requireNonNull(store, "store"));
      return this;
    }

    /** The folder of the file cache (default: {@code NEURALAKE_CACHE_DIR}, else the user's cache folder). */
    public Builder cacheFolder(Path folder) {
      this.cacheFolder = requireNonNull(folder, "folder");
      return this;
    }

    /** The file cache's bound (default: {@code NEURALAKE_CACHE_MAX_BYTES}, else 10 GB). */
    public Builder cacheMaxBytes(long bytes) {
      if (bytes <= 0) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the cache size must be positive, got " + bytes);
      }
      this.cacheMaxBytes = bytes;
      return this;
    }

    /** How long Parquet folder listings are reused, on every store (see {@link LakeRuntime#listingTtl()}). */
    public Builder listingTtl(Duration ttl) {
      this.listingTtl = requireNonNegative(ttl, "listing TTL");
      return this;
    }

    /** How long a Delta table's latest snapshot is reused without listing its log (see {@link LakeRuntime#deltaLogTtl()}). */
    public Builder deltaLogTtl(Duration ttl) {
      this.deltaLogTtl = requireNonNegative(ttl, "Delta log TTL");
      return this;
    }

    /** How long {@link LakeRuntime#close()} waits for background work (default 30 seconds). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = requireNonNegative(timeout, "close timeout");
      return this;
    }

    private static Duration requireNonNegative(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative()) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the " + what + " must be zero or more, got " + d);
      }
      return d;
    }

    public LakeRuntime build() {
      return new LakeRuntime(this);
    }
  }
}
