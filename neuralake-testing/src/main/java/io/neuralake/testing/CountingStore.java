package io.neuralake.testing;

import io.neuralake.storage.Listing;
import io.neuralake.storage.LocalObjectStore;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.StoreMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store (the local one unless another is given), recording which folders were listed, which
 * objects were read whole or in part, and which files were handed to the engine to open: pruning and
 * metadata-only planning are proven by what never appears here.
 */
public final class CountingStore implements ObjectStore {
  private final ObjectStore delegate;
  public final Set<String> foldersListed = ConcurrentHashMap.newKeySet();
  public final Set<String> filesOpened = ConcurrentHashMap.newKeySet();
  /** Objects read whole ({@link #get}). */
  public final List<String> objectsRead = new CopyOnWriteArrayList<>();
  /** Ranged reads ({@link #getRange}): {@code location@offset+length}. */
  public final List<String> rangesRead = new CopyOnWriteArrayList<>();
  /** Objects whose local copy (a local file, a cached one) was used as it was, e.g. to read a footer. */
  public final Set<String> localCopiesUsed = ConcurrentHashMap.newKeySet();
  /** Bytes of every get and ranged read (not of files made local for the engine). */
  public final AtomicLong bytesRead = new AtomicLong();

  public CountingStore() {
    this(new LocalObjectStore());
  }

  /** Counts the calls made to another store, e.g. an S3 store. */
  public CountingStore(ObjectStore delegate) {
    this.delegate = delegate;
  }
  /** A slow store: each put-if-absent of a log entry ({@code .json}) waits this long first. */
  public volatile long commitDelayMillis;
  /** Puts of log entries begun (counted as they start, before {@link #commitDelayMillis}). */
  public final AtomicLong commitsBegun = new AtomicLong();

  public void reset() {
    foldersListed.clear();
    filesOpened.clear();
    objectsRead.clear();
    rangesRead.clear();
    localCopiesUsed.clear();
    bytesRead.set(0);
  }

  /** Data files opened (Delta log entries and checkpoints excluded). */
  public List<String> dataFilesOpened() {
    return filesOpened.stream().filter(p -> !p.contains("/_delta_log/") && p.endsWith(".parquet")).toList();
  }

  @Override
  public Optional<ObjectInfo> head(Location location) throws IOException {
    return delegate.head(location);
  }

  @Override
  public List<ObjectInfo> list(Location folder) throws IOException {
    foldersListed.add(folder.toString());
    return delegate.list(folder);
  }

  @Override
  public Listing listLevel(Location folder) throws IOException {
    foldersListed.add(folder.toString());
    return delegate.listLevel(folder);
  }

  @Override
  public byte[] get(Location location) throws IOException {
    byte[] bytes = delegate.get(location);
    objectsRead.add(location.toString());
    bytesRead.addAndGet(bytes.length);
    return bytes;
  }

  @Override
  public byte[] getRange(Location location, long offset, int length) throws IOException {
    byte[] bytes = delegate.getRange(location, offset, length);
    rangesRead.add(location + "@" + offset + "+" + length);
    bytesRead.addAndGet(bytes.length);
    return bytes;
  }

  @Override
  public void put(Location location, byte[] content) throws IOException {
    delegate.put(location, content);
  }

  @Override
  public void putFile(Location location, Path file) throws IOException {
    delegate.putFile(location, file);
  }

  @Override
  public void moveFile(Location location, Path file) throws IOException {
    delegate.moveFile(location, file);
  }

  @Override
  public boolean putIfAbsent(Location location, byte[] content) throws IOException {
    if (location.name().endsWith(".json")) {
      commitsBegun.incrementAndGet();
    }
    if (commitDelayMillis > 0 && location.name().endsWith(".json")) {
      try {
        Thread.sleep(commitDelayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.putIfAbsent(location, content);
  }

  @Override
  public void delete(Location location) throws IOException {
    delegate.delete(location);
  }

  @Override
  public Path localFile(ObjectInfo object) throws IOException {
    filesOpened.add(object.location().toString());
    return delegate.localFile(object);
  }

  @Override
  public Optional<Path> localCopy(ObjectInfo object) throws IOException {
    Optional<Path> copy = delegate.localCopy(object);
    copy.ifPresent(p -> localCopiesUsed.add(object.location().toString()));
    return copy;
  }

  @Override
  public StoreMetrics metrics() {
    return delegate.metrics();
  }
}
