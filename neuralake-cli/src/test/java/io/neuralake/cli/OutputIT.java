package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --out does to what is already at its path, and what an interrupted --out leaves behind. */
class OutputIT {
  @TempDir static Path work;
  static Path lake;
  static Map<String, String> env;

  @BeforeAll
  static void createTheDemo() {
    Cli.Result r = Cli.jar(work, Map.of(), "demo", "--dir", "lake");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    lake = work.resolve("lake");
    env = Map.of("NEURALAKE_LAKE_ROOT", lake.toString(), "NEURALAKE_CATALOG", lake.resolve("catalog").toString());
  }

  private static Cli.Result run(String... args) {
    return Cli.jar(work, env, args);
  }

  @Test
  void aSymbolicLinkStaysAndItsTargetIsWritten() throws IOException {
    Path target = work.resolve("target.csv");
    Files.writeString(target, "old");
    Path link = Files.createSymbolicLink(work.resolve("link.csv"), target);
    Cli.Result r = run("sql", "SELECT 42 AS answer", "--format", "csv", "--out", link.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readAllLines(target)).containsExactly("answer", "42");
  }

  @Test
  void aFifoIsWrittenIntoAndItsReaderGetsTheRows(@TempDir Path dir) throws Exception {
    Path fifo = mkfifo(dir.resolve("rows.csv"));
    Path received = dir.resolve("received.csv");
    Process reader = new ProcessBuilder("cat", fifo.toString()).redirectOutput(received.toFile()).start();
    Cli.Result r = run("sql", "SELECT i FROM range(3) t(i)", "--format", "csv", "--out", fifo.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(reader.waitFor(1, TimeUnit.MINUTES)).as("the reader got an end of file").isTrue();
    assertThat(Files.readAllLines(received)).containsExactly("i", "0", "1", "2");
    assertThat(Files.isRegularFile(fifo)).as("still a FIFO").isFalse();
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(fifo, received);
    }
  }

  @Test
  void aWriteErrorIntoAFifoIsReportedWithANonZeroExit(@TempDir Path dir) throws Exception {
    Path fifo = mkfifo(dir.resolve("rows.csv"));
    // reads one line and closes its end: the writer's next write fails (EPIPE)
    Process reader = new ProcessBuilder("head", "-c", "1", fifo.toString()).start();
    Cli.Result r = run("sql", "SELECT i FROM range(2000000) t(i)", "--format", "csv", "--out", fifo.toString());
    reader.waitFor(1, TimeUnit.MINUTES);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("could not write " + fifo).contains("Broken pipe");
  }

  @Test
  void parquetToStandardOutput() {
    Cli.Result r = run("sql", "SELECT 1 AS one", "--format", "parquet", "--out", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("PAR1");
    Cli.Result csv = run("sql", "SELECT 1 AS one", "--format", "csv", "--out", "-");
    assertThat(csv.out().lines().toList()).containsExactly("one", "1");
  }

  @Test
  void aQueryDoesNotWriteOverAFileItReads() throws IOException {
    Path parts = lake.resolve("parts.parquet");
    long size = Files.size(parts);
    Path link = Files.createSymbolicLink(work.resolve("parts-link.parquet"), parts);
    for (List<String> how : List.of(List.of("--format", "parquet", "--out", parts.toString()),
        List.of("--format", "table", "--out", link.toString()),
        List.of("--format", "csv", "--out", work.relativize(parts).toString()))) {
      List<String> args = new java.util.ArrayList<>(List.of("query", "tpch.part", "--filter", "p_partkey < 3"));
      args.addAll(how);
      Cli.Result r = run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(how + "\n" + r).isEqualTo(2);
      assertThat(r.err()).as(how.toString()).contains("will not write the result to").contains("parts.parquet")
          .contains("table tpch.part");
      assertThat(Files.size(parts)).as(how.toString()).isEqualTo(size);
    }
    Cli.Result sql = run("sql", "SELECT count(*) AS n FROM tpch.part", "--format", "csv", "--out", parts.toString());
    assertThat(sql.err()).contains("table tpch.part");
    assertThat(Files.size(parts)).isEqualTo(size);
  }

  /** Ctrl-C or kill: the shutdown hook deletes the temporary file of the write in flight. */
  @Test
  void anInterruptedOutLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    Process p = startBigWrite(dir);
    Path tmp;
    try {
      tmp = awaitTemporaryFile(p, dir);
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      p.destroyForcibly(); // never leave it filling the disk
    }
    assertThat(p.exitValue()).isNotZero();
    assertThat(tmp).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("big.csv"));
    }
  }

  /** SIGKILL runs no hook: the leftover has a recognisable name and the next write to the folder sweeps it. */
  @Test
  void aKilledOutsLeftoverIsSweptByTheNextWrite(@TempDir Path dir) throws Exception {
    Process p = startBigWrite(dir);
    Path tmp;
    try {
      tmp = awaitTemporaryFile(p, dir);
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      p.destroyForcibly(); // never leave it filling the disk
    }
    assertThat(tmp).exists();
    assertThat(tmp.getFileName().toString()).matches("\\.big\\.csv\\.neuralake-" + p.pid() + "-[0-9a-f-]{36}\\.tmp");

    Cli.Result early = run("sql", "SELECT 1 AS one", "--format", "csv", "--out", dir.resolve("small.csv").toString());
    assertThat(early.exitCode()).as(early.toString()).isZero();
    assertThat(tmp).as("recent: it could be a concurrent writer's").exists();

    Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Cli.Result later = run("sql", "SELECT 1 AS one", "--format", "csv", "--out", dir.resolve("small.csv").toString());
    assertThat(later.exitCode()).as(later.toString()).isZero();
    assertThat(tmp).doesNotExist();
  }

  /** A write that takes a while (some GB of CSV), so that it is interrupted while in flight. */
  private static Process startBigWrite(Path dir) throws IOException {
    return Cli.startJar(work, env, dir.resolve("big.log"), "sql", "SELECT i, i * 2 AS j, 'some text ' || i AS s"
        + " FROM range(200000000) t(i)", "--format", "csv", "--out", dir.resolve("big.csv").toString());
  }

  /** Waits (up to two minutes) until the write has begun: its temporary file is there and growing. */
  private static Path awaitTemporaryFile(Process p, Path dir) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      assertThat(p.isAlive()).as(Files.readString(dir.resolve("big.log"))).isTrue();
      try (var files = Files.list(dir)) {
        var tmp = files.filter(f -> f.getFileName().toString().startsWith(".big.csv.")).findFirst();
        if (tmp.isPresent() && Files.size(tmp.get()) > 0) {
          return tmp.get();
        }
      } catch (java.nio.file.NoSuchFileException raced) {
        // listed, then renamed or deleted: look again
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new AssertionError("no temporary file appeared in " + dir);
  }

  static Path mkfifo(Path path) throws Exception {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    return path;
  }
}
