package io.neuralake.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes and threads sharing one cold cache folder, small enough that eviction runs beside
 * downloads: every fetch succeeds and returns the object's bytes, and nothing temporary is left.
 */
class FileCacheStressTest {
  private static final int PROCESSES = 2;
  private static final int THREADS = 8;
  private static final int FETCHES = 150;

  @TempDir Path tmp;

  /** Eviction lists the folder while other processes' downloads rename their temporary files. */
  @RepeatedTest(2)
  void manyProcessesAndThreadsShareOneColdCache() throws Exception {
    Path dir = tmp.resolve("cache");
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      children.add(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
          "-cp", System.getProperty("java.class.path"), CacheStressWorker.class.getName(),
          dir.toString(), String.valueOf(THREADS), String.valueOf(FETCHES))
          .redirectErrorStream(true).redirectOutput(tmp.resolve("out-" + i + ".txt").toFile()).start());
    }
    try {
      CacheStressWorker.hammer(dir, 1, THREADS, FETCHES);
    } finally {
      for (Process p : children) {
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.destroyForcibly(); // not left writing into the folder the test deletes
        }
      }
    }
    for (int i = 0; i < children.size(); i++) {
      String out = Files.readString(tmp.resolve("out-" + i + ".txt"));
      assertThat(children.get(i).exitValue()).as(out).isZero();
    }
    CacheStressWorker.checkAll(dir);
    assertNoTemporaryFiles(dir);
  }

  /** Two caches over one folder in one process (e.g. two stores) fetching the same objects. */
  @RepeatedTest(2)
  void twoCachesOfOneProcessShareOneColdFolder() throws Exception {
    Path dir = tmp.resolve("cache");
    CacheStressWorker.hammer(dir, 2, THREADS, FETCHES);
    CacheStressWorker.checkAll(dir);
    assertNoTemporaryFiles(dir);
  }

  private static void assertNoTemporaryFiles(Path dir) throws Exception {
    try (Stream<Path> leftovers = Files.walk(dir)) {
      assertThat(leftovers.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }
}
