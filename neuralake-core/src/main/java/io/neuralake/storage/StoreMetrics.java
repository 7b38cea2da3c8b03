package io.neuralake.storage;

import java.util.concurrent.atomic.AtomicLong;

/** Counts what a store did, so tests can prove pruning and caching by what was not done. */
public final class StoreMetrics {
  private final AtomicLong listCalls = new AtomicLong();
  private final AtomicLong objectsListed = new AtomicLong();
  private final AtomicLong gets = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong puts = new AtomicLong();

  public void recordList(int objects) {
    listCalls.incrementAndGet();
    objectsListed.addAndGet(objects);
  }

  public void recordGet(long bytes) {
    gets.incrementAndGet();
    bytesRead.addAndGet(bytes);
  }

  public void recordPut() {
    puts.incrementAndGet();
  }

  public long listCalls() {
    return listCalls.get();
  }

  public long objectsListed() {
    return objectsListed.get();
  }

  public long gets() {
    return gets.get();
  }

  public long bytesRead() {
    return bytesRead.get();
  }

  public long puts() {
    return puts.get();
  }

  @Override
  public String toString() {
    return "lists=" + listCalls + " listed=" + objectsListed + " gets=" + gets + " bytes=" + bytesRead + " puts=" + puts;
  }
}
