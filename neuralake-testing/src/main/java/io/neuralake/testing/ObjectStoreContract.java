package io.neuralake.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.storage.Listing;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ObjectStore} must do, whatever it stores into: a store's test extends this and
 * says where its fresh, empty folders are. Tables and the Delta log rely on every line of it.
 */
public abstract class ObjectStoreContract {
  @TempDir protected Path tmp;
  protected Location root;

  /** The store under test (kept open across the tests of a class). */
  protected abstract ObjectStore store();

  /** A new, empty folder location in the store. */
  protected abstract Location newFolder() throws IOException;

  @BeforeEach
  void freshFolder() throws IOException {
    root = newFolder().asFolder();
  }

  private Location at(String key) {
    return root.resolve(key);
  }

  private void put(String key, String content) throws IOException {
    store().put(at(key), content.getBytes(UTF_8));
  }

  private static List<String> keys(Location folder, List<ObjectInfo> objects) {
    return objects.stream().map(o -> folder.relativize(o.location())).toList();
  }

  @Test
  void whatIsPutIsWhatIsGotAndHeadTellsItsSize() throws IOException {
    put("a/b/hello.txt", "hello world");
    assertThat(new String(store().get(at("a/b/hello.txt")), UTF_8)).isEqualTo("hello world");
    ObjectInfo info = store().head(at("a/b/hello.txt")).orElseThrow();
    assertThat(info.location()).isEqualTo(at("a/b/hello.txt"));
    assertThat(info.size()).isEqualTo(11);
    assertThat(info.etag()).isNotEmpty();
    assertThat(info.lastModified()).isNotNull();
    store().put(at("empty"), new byte[0]);
    assertThat(store().get(at("empty"))).isEmpty();
    assertThat(store().head(at("empty")).orElseThrow().size()).isZero();
  }

  @Test
  void rangedReadsReturnFewerBytesAtTheEndAndNoneBeyondIt() throws IOException {
    put("r", "0123456789");
    assertThat(new String(store().getRange(at("r"), 2, 3), UTF_8)).isEqualTo("234");
    assertThat(new String(store().getRange(at("r"), 0, 10), UTF_8)).isEqualTo("0123456789");
    assertThat(new String(store().getRange(at("r"), 7, 100), UTF_8)).isEqualTo("789");
    assertThat(store().getRange(at("r"), 4, 0)).isEmpty();
    assertThat(store().getRange(at("r"), 10, 5)).isEmpty();
    assertThat(store().getRange(at("r"), 50, 5)).isEmpty();
  }

  @Test
  void missingObjectsAreEmptyForHeadAndAnErrorNamingThemForReads() throws IOException {
    assertThat(store().head(at("missing"))).isEmpty();
    assertThat(store().head(at("a/b/c/missing"))).isEmpty();
    assertThatThrownBy(() -> store().get(at("missing"))).isInstanceOf(IOException.class)
        .hasMessageContaining(at("missing").toString());
    assertThatThrownBy(() -> store().getRange(at("missing"), 0, 4)).isInstanceOf(IOException.class)
        .hasMessageContaining(at("missing").toString());
    store().delete(at("missing")); // deleting a missing object is not an error
  }

  @Test
  void aFolderIsNotAnObject() throws IOException {
    put("dir/file", "x");
    assertThat(store().head(at("dir"))).isEmpty();
    assertThat(store().head(at("di"))).isEmpty();
  }

  @Test
  void replacingAnObjectChangesItsContentAndItsEtag() throws IOException {
    put("v", "aaa");
    String first = store().head(at("v")).orElseThrow().etag();
    put("v", "bbb"); // same size, at once: the etag must still tell the versions apart
    ObjectInfo second = store().head(at("v")).orElseThrow();
    assertThat(new String(store().get(at("v")), UTF_8)).isEqualTo("bbb");
    assertThat(second.etag()).isNotEqualTo(first);
    assertThat(store().list(root).get(0).etag()).isEqualTo(second.etag());
  }

  @Test
  void deleteRemovesTheObjectOnly() throws IOException {
    put("d/x", "1");
    put("d/y", "2");
    store().delete(at("d/x"));
    assertThat(store().head(at("d/x"))).isEmpty();
    assertThat(keys(root, store().list(root))).containsExactly("d/y");
  }

  @Test
  void listingIsRecursiveInKeyOrderAndStopsAtFolderBoundaries() throws IOException {
    for (String k : List.of("t/x=1/b.parquet", "t/x=1/a.parquet", "t/x=2/c.parquet", "t/top.parquet",
        "t2/other", "t-x/other")) {
      put(k, "1");
    }
    assertThat(keys(at("t/"), store().list(at("t")))).containsExactly(
        "top.parquet", "x=1/a.parquet", "x=1/b.parquet", "x=2/c.parquet");
    Listing level = store().listLevel(at("t/"));
    assertThat(keys(at("t/"), level.objects())).containsExactly("top.parquet");
    assertThat(level.folders()).containsExactly(at("t/x=1/"), at("t/x=2/"));
    assertThat(level.objects().get(0).size()).isEqualTo(1);
    assertThat(store().list(at("t/x="))).isEmpty(); // a prefix that is not a folder lists nothing
    assertThat(store().list(at("nothing-here/"))).isEmpty();
    assertThat(store().listLevel(at("nothing-here/"))).isEqualTo(new Listing(List.of(), List.of()));
  }

  /** How many keys the store's backend returns per listing page (S3: 1000); 0 if it does not page. */
  protected int listingPageSize() {
    return 0;
  }

  @Test
  void listingsLongerThanOnePageAreWhole() throws Exception {
    // one more than a page, written in parallel
    int n = Math.max(listingPageSize(), 20) + 1;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Object>> puts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = String.format("many/f%04d", i);
        puts.add(pool.submit(() -> {
          put(key, "x");
          return null;
        }));
      }
      for (Future<Object> f : puts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<String> expected = IntStream.range(0, n).mapToObj(i -> String.format("many/f%04d", i)).toList();
    assertThat(keys(root, store().list(root))).containsExactlyElementsOf(expected);
    assertThat(store().listLevel(at("many/")).objects()).hasSize(n);
    assertThat(store().listFrom(at(String.format("many/f%04d", n - 11)))).hasSize(11);
  }

  @Test
  void listFromReadsOneFolderFromANameOnInNameOrder() throws IOException {
    for (String k : List.of("_log/00.json", "_log/01.json", "_log/02.json", "_log/sub/03.json", "_logs/04.json")) {
      put(k, "{}");
    }
    assertThat(keys(at("_log/"), store().listFrom(at("_log/01.json")))).containsExactly("01.json", "02.json");
    assertThat(keys(at("_log/"), store().listFrom(at("_log/00.z")))).containsExactly("01.json", "02.json");
    assertThat(store().listFrom(at("_log/99"))).isEmpty();
  }

  @Test
  void keysWithSpecialCharactersRoundTrip() throws IOException {
    List<String> names = List.of("a b.parquet", "date=2024-01-01 10:00:00", "ü日本🙂", "x+y", "100%", "50%25",
        "q?a", "h#b", "star*[1]", "it's \"q\"", "semi;colon,comma", "tilde~&amp=");
    for (String name : names) {
      put("s/" + name, name);
    }
    for (String name : names) {
      assertThat(new String(store().get(at("s/" + name)), UTF_8)).as(name).isEqualTo(name);
      assertThat(store().head(at("s/" + name))).as(name).isPresent();
    }
    assertThat(keys(at("s/"), store().list(at("s/")))).containsExactlyInAnyOrderElementsOf(names);
    put("f/x=a b/y=ü/z.parquet", "1");
    assertThat(store().listLevel(at("f/")).folders()).containsExactly(at("f/x=a b/"));
    assertThat(store().listLevel(at("f/x=a b/")).folders()).containsExactly(at("f/x=a b/y=ü/"));
  }

  @Test
  void putFileUploadsAFileAndLocalFileReadsItBack() throws IOException {
    Path file = tmp.resolve("up.bin");
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(7).nextBytes(content);
    Files.write(file, content);
    store().putFile(at("up/file.bin"), file);
    ObjectInfo info = store().head(at("up/file.bin")).orElseThrow();
    assertThat(info.size()).isEqualTo(content.length);
    assertThat(Files.readAllBytes(store().localFile(info))).isEqualTo(content);
    assertThat(store().localFiles(List.of(info, info))).hasSize(2);
  }

  @Test
  void moveFilePutsAFileAndDeletesTheLocalOne() throws IOException {
    Path file = tmp.resolve("move.bin");
    byte[] content = new byte[1024 * 1024 + 3];
    new java.util.Random(11).nextBytes(content);
    Files.write(file, content);
    store().moveFile(at("moved/part-0.parquet"), file);
    assertThat(file).doesNotExist();
    ObjectInfo info = store().head(at("moved/part-0.parquet")).orElseThrow();
    assertThat(info.size()).isEqualTo(content.length);
    assertThat(Files.readAllBytes(store().localFile(info))).isEqualTo(content);
    assertThat(keys(at("moved/"), store().list(at("moved/")))).containsExactly("part-0.parquet"); // no leftovers
  }

  @Test
  void putIfAbsentWritesOnlyTheFirstTime() throws IOException {
    assertThat(store().putIfAbsent(at("log/00.json"), "first".getBytes(UTF_8))).isTrue();
    assertThat(store().putIfAbsent(at("log/00.json"), "second".getBytes(UTF_8))).isFalse();
    assertThat(new String(store().get(at("log/00.json")), UTF_8)).isEqualTo("first");
    assertThat(keys(root, store().list(root))).containsExactly("log/00.json"); // no leftovers
  }

  @Test
  void putIfAbsentHasExactlyOneWinnerAmongConcurrentWriters() throws Exception {
    int writers = 8;
    for (int round = 0; round < 5; round++) {
      Location key = at("race/" + round + ".json");
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          byte[] mine = ("writer " + w).getBytes(UTF_8);
          Callable<Boolean> write = () -> {
            start.await();
            return store().putIfAbsent(key, mine);
          };
          results.add(pool.submit(write));
        }
        start.countDown();
        List<Integer> winners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          if (results.get(w).get()) {
            winners.add(w);
          }
        }
        assertThat(winners).as("round " + round).hasSize(1);
        assertThat(new String(store().get(key), UTF_8)).isEqualTo("writer " + winners.get(0));
      } finally {
        pool.shutdown();
      }
    }
    assertThat(store().list(at("race/"))).hasSize(5);
  }

  @Test
  void metricsCountTheCalls() throws IOException {
    long puts = store().metrics().puts();
    put("m", "x");
    assertThat(store().metrics().puts()).isGreaterThan(puts);
  }
}
