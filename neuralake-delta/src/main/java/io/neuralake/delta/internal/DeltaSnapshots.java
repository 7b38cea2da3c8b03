package io.neuralake.delta.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.neuralake.ErrorCode;
import io.neuralake.delta.internal.write.BackoffCommitter;
import io.neuralake.NeuralakeException;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The latest snapshot of each table, reused while the log has no newer commit. Checking costs one
 * listing of the log from the next version on; only when something new is there does Kernel
 * replay the log (reading immutable entries from the file cache). Within the runtime's Delta log
 * TTL ({@code NEURALAKE_DELTA_LOG_TTL}, default 0) a snapshot is reused without that listing:
 * commits of other processes then show after at most the TTL, while commits made through this
 * runtime show at once, as they record the snapshot they produced ({@link #committed}).
 *
 * <p>One per {@link DeltaRuntime}; tables are keyed by {@link DeltaRuntime#key}.
 */
public final class DeltaSnapshots {
  private static final Pattern VERSIONED = Pattern.compile("(\\d{20})\\..*");

  /** A snapshot and when the log last showed it was the latest. */
  private record Known(Snapshot snapshot, long checkedAtNanos) {}

  private final Map<String, Known> latest = new ConcurrentHashMap<>();
  private final long ttlNanos;

  DeltaSnapshots(Duration ttl) {
    this.ttlNanos = ttl.toNanos();
  }

  /** The latest snapshot of the table in the context. */
  public static Snapshot latest(LakeContext context, Engine engine, ObjectStore store, Location table) throws IOException {
    return DeltaRuntime.of(context).snapshots().latest(DeltaRuntime.key(context, table), engine, store, table);
  }

  Snapshot latest(String key, Engine engine, ObjectStore store, Location table) throws IOException {
    long now = System.nanoTime();
    Known cached = latest.get(key);
    if (cached != null && now - cached.checkedAtNanos() < ttlNanos) {
      return cached.snapshot();
    }
    if (cached != null && !hasNewer(store, table, cached.snapshot().getVersion())) {
      latest.replace(key, cached, new Known(cached.snapshot(), now));
      return cached.snapshot();
    }
    Snapshot fresh = load(table, engine);
    latest.put(key, new Known(fresh, now));
    return fresh;
  }

  /**
   * The last known snapshot, possibly stale, for writers: a commit based on an old snapshot tries
   * the next version after it, loses the race to newer commits, and Kernel rebases it on them by
   * reading only those. Saves a listing and a log replay on every append.
   */
  public static Snapshot forWriting(LakeContext context, Engine engine, Location table) {
    return DeltaRuntime.of(context).snapshots().forWriting(DeltaRuntime.key(context, table), engine, table);
  }

  Snapshot forWriting(String key, Engine engine, Location table) {
    Known cached = latest.get(key);
    if (cached != null) {
      return cached.snapshot();
    }
    Snapshot fresh = load(table, engine);
    latest.put(key, new Known(fresh, System.nanoTime()));
    return fresh;
  }

  /**
   * The latest snapshot, read from the store; commits on it wait with jitter between lost races
   * ({@link BackoffCommitter}), as do those on the snapshots they produce.
   */
  public static Snapshot load(Location table, Engine engine) {
    return TableManager.loadSnapshot(StoreFileIO.qualified(table)).withCommitter(BackoffCommitter.INSTANCE).build(engine);
  }

  /** Forgets a table's cached snapshot (it was created again, or a write based on it failed). */
  public static void forget(LakeContext context, Location table) {
    DeltaRuntime.of(context).snapshots().latest.remove(DeltaRuntime.key(context, table));
  }

  /** Records a snapshot a commit produced, if it is newer than the one known: the table's latest as of now. */
  public void committed(String key, Snapshot snapshot) {
    Known now = new Known(snapshot, System.nanoTime());
    latest.merge(key, now, (old, fresh) -> fresh.snapshot().getVersion() > old.snapshot().getVersion() ? fresh : old);
  }

  /** Forgets every cached snapshot (cold-read measurements, {@code LakeRuntime.refresh()}). */
  public void clear() {
    latest.clear();
  }

  public static Snapshot atVersion(Engine engine, Location table, long version) {
    return TableManager.loadSnapshot(StoreFileIO.qualified(table)).atVersion(version).build(engine);
  }

  /**
   * The version current at a time. A time after the last commit is an error, as in Delta for
   * Spark: the table may yet get a commit at that time, so no version is known to be current then.
   */
  public static Snapshot atTimestamp(LakeContext context, Engine engine, ObjectStore store, Location table, long millis)
      throws IOException {
    Snapshot latest = latest(context, engine, store, table);
    long last = latest.getTimestamp(engine);
    if (millis > last) {
      throw new AfterLastCommit(Instant.ofEpochMilli(millis), latest.getVersion(), Instant.ofEpochMilli(last));
    }
    return TableManager.loadSnapshot(StoreFileIO.qualified(table)).atTimestamp(millis, latest).build(engine);
  }

  /** A read as of a time after the table's last commit: no version is known to be current then. */
  public static final class AfterLastCommit extends NeuralakeException {
    private static final long serialVersionUID = 1L;

    public AfterLastCommit(Instant asked, long version, Instant committed) {
      super(ErrorCode.VERSION_NOT_FOUND,
          "the time " + asked + " is after the last commit (version " + version + " at " + committed + "); give a time"
          + " at or before it, or read without a timestamp for the latest version");
    }
  }

  /**
   * Whether the log moved on from {@code version}: a newer entry exists, or the cached version's
   * own commit is gone (the table was deleted and written again).
   */
  private static boolean hasNewer(ObjectStore store, Location table, long version) throws IOException {
    String current = String.format(Locale.ROOT, "%020d", version) + ".json";
    boolean currentSeen = false;
    for (ObjectInfo o : store.listFrom(table.asFolder().resolve("_delta_log/" + current))) {
      Matcher m = VERSIONED.matcher(o.location().name());
      if (o.location().name().equals(current)) {
        currentSeen = true;
      } else if (m.matches() && Long.parseLong(m.group(1)) > version) {
        return true;
      }
    }
    return !currentSeen;
  }
}
