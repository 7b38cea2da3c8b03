package io.neuralake.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.internal.TemporaryFiles;
import io.neuralake.testing.LocalS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of remote files, over a real S3 server. */
class FileCacheTest {
  @TempDir Path tmp;

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void fetchesOnceThenHits() throws Exception {
    String bucket = LocalS3.newBucket();
    FileCache cache = new FileCache(tmp.resolve("cache"), 1 << 30, Duration.ZERO);
    try (S3ObjectStore store = new S3ObjectStore(LocalS3.options(), cache)) {
      Location l = Location.parse("s3://" + bucket + "/data.bin");
      byte[] data = bytes(FileCache.CHUNK_BYTES * 3 + 17, 1); // several parallel ranges
      store.put(l, data);
      ObjectInfo info = store.head(l).orElseThrow();
      long getsBefore = store.metrics().gets();
      Path first = store.localFile(info);
      assertThat(store.metrics().gets() - getsBefore).isEqualTo(4);
      assertThat(Files.readAllBytes(first)).isEqualTo(data);
      Path second = store.localFile(info);
      assertThat(second).isEqualTo(first);
      assertThat(cache.metrics().misses()).isEqualTo(1);
      assertThat(cache.metrics().hits()).isEqualTo(1);
      assertThat(store.metrics().gets() - getsBefore).isEqualTo(4);
    }
  }

  @Test
  void aChangedObjectIsNeverServedStale() throws Exception {
    String bucket = LocalS3.newBucket();
    FileCache cache = new FileCache(tmp.resolve("cache"), 1 << 30, Duration.ZERO);
    try (S3ObjectStore store = new S3ObjectStore(LocalS3.options(), cache)) {
      Location l = Location.parse("s3://" + bucket + "/f");
      store.put(l, "version one".getBytes());
      assertThat(Files.readString(store.localFile(store.head(l).orElseThrow()))).isEqualTo("version one");
      store.put(l, "version two".getBytes());
      assertThat(Files.readString(store.localFile(store.head(l).orElseThrow()))).isEqualTo("version two");
      assertThat(cache.metrics().misses()).isEqualTo(2);
    }
  }

  @Test
  void aDamagedCopyIsDetectedAndFetchedAgain() throws Exception {
    String bucket = LocalS3.newBucket();
    FileCache cache = new FileCache(tmp.resolve("cache"), 1 << 30, Duration.ZERO);
    try (S3ObjectStore store = new S3ObjectStore(LocalS3.options(), cache)) {
      Location l = Location.parse("s3://" + bucket + "/f");
      byte[] data = bytes(100_000, 2);
      store.put(l, data);
      ObjectInfo info = store.head(l).orElseThrow();
      Path cached = store.localFile(info);
      Files.write(cached, new byte[10]); // truncated by a crash or a disk problem
      assertThat(Files.readAllBytes(store.localFile(info))).isEqualTo(data);
      assertThat(cache.metrics().corrupt()).isEqualTo(1);
    }
  }

  @Test
  void aFailedDownloadLeavesNoPartialFile() throws Exception {
    FileCache cache = new FileCache(tmp.resolve("cache"), 1 << 30, Duration.ZERO);
    ObjectInfo info = new ObjectInfo(Location.parse("s3://b/k"), FileCache.CHUNK_BYTES * 2L, java.time.Instant.now(), "e");
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> cache.get(info, FileCache.RangeSource.ofBytes((offset, length) -> {
      if (calls.incrementAndGet() == 2) {
        throw new IOException("connection reset");
      }
      return new byte[length];
    }))).hasMessageContaining("connection reset");
    try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
      assertThat(files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".lock"))).isEmpty();
    }
  }

  @Test
  void leastRecentlyUsedFilesAreEvictedBeyondTheBound() throws Exception {
    FileCache cache = new FileCache(tmp.resolve("cache"), 250_000, Duration.ZERO);
    ObjectInfo[] objects = new ObjectInfo[4];
    for (int i = 0; i < 4; i++) {
      objects[i] = new ObjectInfo(Location.parse("s3://b/k" + i), 100_000, java.time.Instant.now(), "e");
      cache.get(objects[i], FileCache.RangeSource.ofBytes((offset, length) -> new byte[length]));
      Thread.sleep(20); // distinct use times
      if (i == 1) {
        cache.get(objects[0], FileCache.RangeSource.ofBytes((o, n) -> new byte[n])); // k0 used again: k1 is now the oldest
        Thread.sleep(20);
      }
    }
    assertThat(cache.metrics().evictions()).isEqualTo(2);
    AtomicInteger refetched = new AtomicInteger();
    cache.get(objects[0], FileCache.RangeSource.ofBytes((o, n) -> {
      refetched.incrementAndGet();
      return new byte[n];
    }));
    assertThat(refetched).hasValue(1); // k0 was evicted by k3, after k1
    cache.get(objects[3], FileCache.RangeSource.ofBytes((o, n) -> {
      refetched.incrementAndGet();
      return new byte[n];
    }));
    assertThat(refetched).hasValue(1); // k3, the newest, stayed
  }

  /** A killed process's download leaves a temporary file: the next download beside it sweeps it, a live one's stays. */
  @Test
  void aKilledDownloadsTemporaryFileIsSweptByTheNextDownload() throws Exception {
    Path dir = tmp.resolve("cache");
    ObjectInfo info = new ObjectInfo(Location.parse("s3://b/k"), 1000, java.time.Instant.now(), "e");
    String key = FileCache.key(info);
    Path shard = Files.createDirectories(dir.resolve(key.substring(0, 2)));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    FileTime old = FileTime.from(java.time.Instant.now().minus(TemporaryFiles.STALE_AFTER).minusSeconds(60));
    Path killed = Files.write(shard.resolve("." + key + ".neuralake-" + gone.pid() + "-" + UUID.randomUUID() + ".tmp"), new byte[10]);
    Files.setLastModifiedTime(killed, old);
    Path running = Files.write(shard.resolve(".other.neuralake-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + ".tmp"), new byte[10]);
    Files.setLastModifiedTime(running, old);

    new FileCache(dir, 1 << 30, Duration.ZERO).get(info, FileCache.RangeSource.ofBytes((o, n) -> new byte[n]));

    assertThat(killed).doesNotExist();
    assertThat(running).exists();
  }
}
