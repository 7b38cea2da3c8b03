package io.neuralake.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many threads fetching the same and different objects through one cache folder, with a bound so
 * small that every fetch evicts: run in the test's process and, through {@link #main}, in others.
 */
public final class CacheStressWorker {
  static final int OBJECTS = 24;
  /** Holds a handful of objects, so eviction runs on (nearly) every download. */
  static final long MAX_BYTES = 120_000;

  private CacheStressWorker() {}

  /** Arguments: cache folder, threads, fetches per thread. Exits 1 (printing the error) if a fetch fails. */
  public static void main(String[] args) throws Exception {
    hammer(Path.of(args[0]), 1, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    System.out.println("ok");
  }

  /**
   * Fetches random objects through {@code instances} caches over one folder (as two stores of one
   * process may); content is checked whenever the file is still there, as eviction may take it at once.
   */
  static void hammer(Path dir, int instances, int threads, int fetches) throws Exception {
    FileCache[] caches = new FileCache[instances];
    Arrays.setAll(caches, i -> new FileCache(dir, MAX_BYTES, Duration.ZERO));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        FileCache cache = caches[t % caches.length];
        runs.add(pool.submit(() -> {
          for (int i = 0; i < fetches; i++) {
            int n = ThreadLocalRandom.current().nextInt(OBJECTS);
            Path file = cache.get(object(n), source(n));
            byte[] read;
            try {
              read = Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException evictedMeanwhile) {
              continue;
            }
            if (!Arrays.equals(read, content(n))) {
              throw new AssertionError("wrong content in " + file + " for object " + n);
            }
          }
          return null;
        }));
      }
      for (Future<Void> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every object once more, through a fresh cache: each must come back whole. */
  static void checkAll(Path dir) throws Exception {
    FileCache cache = new FileCache(dir, MAX_BYTES, Duration.ZERO);
    for (int n = 0; n < OBJECTS; n++) {
      byte[] read = Files.readAllBytes(cache.get(object(n), source(n)));
      if (!Arrays.equals(read, content(n))) {
        throw new AssertionError("wrong content for object " + n);
      }
    }
  }

  static FileCache.RangeSource source(int n) {
    return FileCache.RangeSource.ofBytes((offset, length) -> Arrays.copyOfRange(content(n), (int) offset, (int) offset + length));
  }

  static ObjectInfo object(int n) {
    return new ObjectInfo(Location.parse("s3://stress/k" + n), content(n).length, Instant.EPOCH, "e" + n);
  }

  static byte[] content(int n) {
    byte[] b = new byte[10_000 + 3_000 * n];
    new Random(n).nextBytes(b);
    return b;
  }
}
