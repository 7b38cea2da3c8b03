package io.neuralake.delta.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The latest snapshot of each table, reused while the log has no newer commit. Checking costs one
 * listing of the log from the next version on; only when something new is there does Kernel
 * replay the log (reading immutable entries from the file cache).
 */
public final class DeltaSnapshots {
  private static final Pattern VERSIONED = Pattern.compile("(\\d{20})\\..*");
  private static final Map<String, Snapshot> LATEST = new ConcurrentHashMap<>();

  private DeltaSnapshots() {}

  public static Snapshot latest(Engine engine, ObjectStore store, Location table) throws IOException {
    String path = StoreFileIO.qualified(table);
    Snapshot cached = LATEST.get(path);
    if (cached != null && !hasNewer(store, table, cached.getVersion())) {
      return cached;
    }
    Snapshot fresh = TableManager.loadSnapshot(path).build(engine);
    LATEST.put(path, fresh);
    return fresh;
  }

  /**
   * The last known snapshot, possibly stale, for writers: a commit based on an old snapshot tries
   * the next version after it, loses the race to newer commits, and Kernel rebases it on them by
   * reading only those. Saves a listing and a log replay on every append.
   */
  public static Snapshot forWriting(Engine engine, Location table) {
    String path = StoreFileIO.qualified(table);
    Snapshot cached = LATEST.get(path);
    if (cached != null) {
      return cached;
    }
    Snapshot fresh = TableManager.loadSnapshot(path).build(engine);
    LATEST.put(path, fresh);
    return fresh;
  }

  /** Forgets a table's cached snapshot (it was created again, or a write based on it failed). */
  public static void forget(Location table) {
    LATEST.remove(StoreFileIO.qualified(table));
  }

  /** Records a snapshot a commit produced, if it is newer than the one known. */
  public static void committed(Location table, Snapshot snapshot) {
    LATEST.merge(StoreFileIO.qualified(table), snapshot, (old, now) -> now.getVersion() > old.getVersion() ? now : old);
  }

  /** Forgets every cached snapshot (cold-read measurements). */
  public static void clear() {
    LATEST.clear();
  }

  public static Snapshot atVersion(Engine engine, Location table, long version) {
    return TableManager.loadSnapshot(StoreFileIO.qualified(table)).atVersion(version).build(engine);
  }

  /**
   * The version current at a time. A time after the last commit is an error, as in Delta for
   * Spark: the table may yet get a commit at that time, so no version is known to be current then.
   */
  public static Snapshot atTimestamp(Engine engine, ObjectStore store, Location table, long millis) throws IOException {
    Snapshot latest = latest(engine, store, table);
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
