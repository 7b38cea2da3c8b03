package io.neuralake.delta;

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

/** The local store, recording the files handed out for reading: skipping is proven by what is absent. */
final class CountingStore implements ObjectStore {
  private final LocalObjectStore delegate = new LocalObjectStore();
  final Set<String> opened = ConcurrentHashMap.newKeySet();
  volatile long commitDelayMillis;

  void reset() {
    opened.clear();
  }

  /** Data files opened (log entries and checkpoints excluded). */
  List<String> dataFilesOpened() {
    return opened.stream().filter(p -> !p.contains("/_delta_log/") && p.endsWith(".parquet")).toList();
  }

  @Override
  public Optional<ObjectInfo> head(Location location) throws IOException {
    return delegate.head(location);
  }

  @Override
  public List<ObjectInfo> list(Location folder) throws IOException {
    return delegate.list(folder);
  }

  @Override
  public Listing listLevel(Location folder) throws IOException {
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
        Thread.sleep(commitDelayMillis); // a slow store: commits queue up behind this one
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
    opened.add(object.location().toString());
    return delegate.localFile(object);
  }

  @Override
  public StoreMetrics metrics() {
    return delegate.metrics();
  }
}
