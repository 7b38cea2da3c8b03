package io.neuralake.delta.internal;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.neuralake.spi.ThreadPools;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.runtime.RuntimeComponents;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Function;

/**
 * The Delta module's state in one {@link LakeRuntime}: Kernel engines, latest snapshots, scan
 * results, commit queues and the thread of background post-commit work (checkpoints). Tables are
 * keyed by the identity of the store that reaches them and their path, so the same
 * {@code s3://bucket/t} through two endpoints or two principals shares nothing.
 *
 * <p>Closing (with the runtime) lets background checkpoints finish within the runtime's close
 * timeout, logs what did not, and forgets the rest.
 */
public final class DeltaRuntime implements AutoCloseable, RuntimeComponents.Cache {
  /** Scan results remembered per runtime (the least recently used are forgotten). */
  private static final int SCAN_RESULTS = 64;

  private final Duration closeTimeout;
  /** By storage instance: a Kernel engine reads through our stores, never Hadoop's. */
  private final Map<Storage, Engine> engines = new WeakHashMap<>();
  private final DeltaSnapshots snapshots;
  private final Map<String, List<DeltaScanPlanner.ScanFile>> scanFiles = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<DeltaScanPlanner.ScanFile>> eldest) {
          return size() > SCAN_RESULTS;
        }
      });
  private final Map<String, Object> commitQueues = new ConcurrentHashMap<>();
  /**
   * Post-commit work (checkpoints every N commits, log cleanup), off every writer's commit path.
   * Not daemon, so a checkpoint under way finishes before the JVM exits; its thread ends when
   * idle, so it never keeps a finished program alive.
   */
  private final ThreadPoolExecutor hooks = ThreadPools.named("neuralake-delta-hooks", 1, false);

  private DeltaRuntime(LakeRuntime runtime) {
    this.closeTimeout = runtime.closeTimeout();
    this.snapshots = new DeltaSnapshots(runtime.deltaLogTtl());
  }

  /** The Delta state of the context's runtime. */
  public static DeltaRuntime of(LakeContext context) {
    return RuntimeComponents.of(context.runtime(), DeltaRuntime.class, DeltaRuntime::new);
  }

  /** A table's key: the identity of the store reaching it, and its path. */
  public static String key(LakeContext context, Location table) {
    return context.storeFor(table).identity() + " " + StoreFileIO.qualified(table.asFolder());
  }

  /** The Kernel engine over a storage's stores. */
  public Engine kernel(Storage storage) {
    synchronized (engines) {
      return engines.computeIfAbsent(storage, s -> DefaultEngine.create(new StoreFileIO(s)));
    }
  }

  public DeltaSnapshots snapshots() {
    return snapshots;
  }

  Map<String, List<DeltaScanPlanner.ScanFile>> scanFiles() {
    return scanFiles;
  }

  /** The one commit queue of a table (by key) in this runtime. */
  public <T> T commitQueue(String key, Class<T> type, Function<String, T> create) {
    return type.cast(commitQueues.computeIfAbsent(key, k -> create.apply(k)));
  }

  public ExecutorService hooks() {
    return hooks;
  }

  /** Forgets snapshots and scan results: the next read of each table lists its log. */
  @Override
  public void refresh() {
    snapshots.clear();
    scanFiles.clear();
  }

  @Override
  public void close() {
    ThreadPools.stop(hooks, closeTimeout, "background Delta post-commit work (checkpoints)");
    refresh();
    commitQueues.clear();
    synchronized (engines) {
      engines.clear();
    }
  }
}
