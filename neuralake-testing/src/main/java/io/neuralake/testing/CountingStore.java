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

/**
 * The local store, recording which folders were listed and which files were handed to the engine
 * to open: pruning is proven by what never appears here.
 */
public final class CountingStore implements ObjectStore {
  private final LocalObjectStore delegate = new LocalObjectStore();
  public final Set<String> foldersListed = ConcurrentHashMap.newKeySet();
  public final Set<String> filesOpened = ConcurrentHashMap.newKeySet();
  /** A slow store: each put-if-absent of a log entry ({@code .json}) waits this long first. */
  public volatile long commitDelayMillis;

  public void reset() {
    foldersListed.clear();
    filesOpened.clear();
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
    return delegate.get(location);
  }

  @Override
  public byte[] getRange(Location location, long offset, int length) throws IOException {
    return delegate.getRange(location, offset, length);
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
  public boolean putIfAbsent(Location location, byte[] content) throws IOException {
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
  public Path localFile(ObjectInfo object) {
    filesOpened.add(object.location().toString());
    return delegate.localFile(object);
  }

  @Override
  public StoreMetrics metrics() {
    return delegate.metrics();
  }
}
