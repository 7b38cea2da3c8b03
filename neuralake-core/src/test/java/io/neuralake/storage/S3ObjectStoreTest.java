package io.neuralake.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.testing.LocalS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object-store seam against a real S3 API (S3Proxy on loopback). */
class S3ObjectStoreTest {
  @TempDir static Path tmp;
  static S3ObjectStore store;
  static String bucket;

  @BeforeAll
  static void setUp() {
    store = LocalS3.store(tmp.resolve("cache"));
    bucket = LocalS3.newBucket();
  }

  @AfterAll
  static void tearDown() {
    store.close();
  }

  private static Location at(String key) {
    return Location.parse("s3://" + bucket + "/" + key);
  }

  @Test
  void putGetHeadRangeDelete() throws Exception {
    Location l = at("a/b/hello.txt");
    store.put(l, "hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(store.get(l), StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(new String(store.getRange(l, 6, 5), StandardCharsets.UTF_8)).isEqualTo("world");
    ObjectInfo info = store.head(l).orElseThrow();
    assertThat(info.size()).isEqualTo(11);
    assertThat(info.etag()).isNotEmpty();
    store.delete(l);
    assertThat(store.head(l)).isEmpty();
    store.delete(l); // deleting a missing object is fine
  }

  @Test
  void listingRecursiveAndByLevel() throws Exception {
    for (String k : List.of("t/x=1/a.parquet", "t/x=1/b.parquet", "t/x=2/c.parquet", "t/top.parquet", "t2/other")) {
      store.put(at(k), new byte[] {1});
    }
    assertThat(store.list(at("t/")).stream().map(o -> o.location().key()))
        .containsExactly("t/top.parquet", "t/x=1/a.parquet", "t/x=1/b.parquet", "t/x=2/c.parquet");
    Listing level = store.listLevel(at("t"));
    assertThat(level.objects().stream().map(o -> o.location().key())).containsExactly("t/top.parquet");
    assertThat(level.folders().stream().map(Location::key)).containsExactly("t/x=1/", "t/x=2/");
  }

  @Test
  void putIfAbsentHasExactlyOneWinnerAmongManyConcurrentWriters() throws Exception {
    int writers = 16;
    for (int round = 0; round < 5; round++) {
      Location l = at("_delta_log/" + String.format("%020d", round) + ".json");
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        byte[] content = ("writer " + w).getBytes(StandardCharsets.UTF_8);
        Callable<Boolean> attempt = () -> {
          start.await();
          return store.putIfAbsent(l, content);
        };
        results.add(pool.submit(attempt));
      }
      start.countDown();
      int wins = 0;
      String winner = null;
      for (int w = 0; w < writers; w++) {
        if (results.get(w).get()) {
          wins++;
          winner = "writer " + w;
        }
      }
      pool.shutdown();
      assertThat(wins).as("round " + round).isEqualTo(1);
      assertThat(new String(store.get(l), StandardCharsets.UTF_8)).isEqualTo(winner);
    }
  }

  @Test
  void largeFilesGoUpInPartsAndComeBackWhole() throws Exception {
    Path big = tmp.resolve("big.bin");
    byte[] data = new byte[(int) (S3ObjectStore.PART_BYTES * 2 + 12345)];
    new Random(7).nextBytes(data);
    Files.write(big, data);
    List<Long> progress = new ArrayList<>();
    store.putFile(at("big.bin"), big, n -> {
      synchronized (progress) {
        progress.add(n);
      }
    });
    assertThat(progress.stream().mapToLong(Long::longValue).sum()).isEqualTo(data.length);
    assertThat(progress).hasSize(3);
    ObjectInfo info = store.head(at("big.bin")).orElseThrow();
    Path local = store.localFile(info);
    assertThat(Files.readAllBytes(local)).isEqualTo(data);
  }
}
