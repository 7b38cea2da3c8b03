package io.neuralake.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void aSymbolicLinkIsFollowedAndKept() throws IOException {
    Path real = dir.resolve("real.csv");
    Files.writeString(real, "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of("real.csv"));
    AtomicFiles.write(link, tmp -> Files.writeString(tmp, "new"));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(real).hasContent("new");
  }

  @Test
  void aDanglingLinkGetsItsTargetCreated() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("sub/target.csv"));
    AtomicFiles.write(link, tmp -> Files.writeString(tmp, "new"));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(dir.resolve("sub/target.csv")).hasContent("new");
  }

  @Test
  void aFifoIsWrittenIntoNotReplaced() throws Exception {
    Path fifo = mkfifo(dir.resolve("pipe"));
    CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(fifo);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    AtomicFiles.write(fifo, tmp -> Files.writeString(tmp, "through the pipe"));
    assertThat(reader.get()).isEqualTo("through the pipe");
    assertThat(Files.isRegularFile(fifo)).as("still a FIFO").isFalse();
    assertThat(Files.exists(fifo)).isTrue();
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(fifo);
    }
  }

  @Test
  void aFolderIsRefusedByName() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("out"));
    assertThatThrownBy(() -> AtomicFiles.write(folder, tmp -> Files.writeString(tmp, "x")))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining(folder.toString()).hasMessageContaining("folder");
  }

  @Test
  void aFailedWriteLeavesNothing() throws IOException {
    Path target = dir.resolve("t.csv");
    assertThatThrownBy(() -> AtomicFiles.write(target, tmp -> {
      Files.writeString(tmp, "partial");
      throw new IOException("engine failed");
    })).hasMessageContaining("engine failed");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void temporaryNamesAreRecognised() {
    Path tmp = TemporaryFiles.sibling(dir.resolve("big.csv"));
    assertThat(tmp.getFileName().toString()).startsWith(".big.csv.neuralake-" + ProcessHandle.current().pid() + "-")
        .endsWith(".tmp");
    assertThat(AtomicFiles.isTemporary(tmp)).isTrue();
    assertThat(AtomicFiles.isTemporary(dir.resolve(".big.csv." + UUID.randomUUID() + ".tmp"))).as("earlier name").isTrue();
    assertThat(AtomicFiles.isTemporary(dir.resolve("big.csv"))).isFalse();
    assertThat(AtomicFiles.isTemporary(dir.resolve(".big.csv.tmp"))).isFalse();
  }

  /** Leftovers of a killed process are swept by the next write; a live writer's and recent ones are kept. */
  @Test
  void theNextWriteSweepsStaleTemporaryFilesOfDeadProcesses() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("sweep"));
    Instant old = Instant.now().minus(TemporaryFiles.STALE_AFTER).minusSeconds(60);
    long dead = deadPid();
    Path stale = old(folder.resolve(".big.csv.neuralake-" + dead + "-" + UUID.randomUUID() + ".tmp"), old);
    Path staleEarlier = old(folder.resolve(".big.csv." + UUID.randomUUID() + ".tmp"), old);
    Path recent = old(folder.resolve(".big.csv.neuralake-" + dead + "-" + UUID.randomUUID() + ".tmp"), Instant.now());
    Path live = old(folder.resolve(".x.csv.neuralake-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + ".tmp"), old);
    Path someoneElses = old(folder.resolve(".notes.tmp"), old);

    AtomicFiles.write(folder.resolve("other.csv"), tmp -> Files.writeString(tmp, "x"));

    assertThat(stale).doesNotExist();
    assertThat(staleEarlier).doesNotExist();
    assertThat(recent).exists();
    assertThat(live).exists();
    assertThat(someoneElses).exists();
  }

  private static Path old(Path file, Instant modified) throws IOException {
    Files.writeString(file, "left over");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  static Path mkfifo(Path path) throws Exception {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    return path;
  }
}
