package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight writers in separate processes of one host, racing for each version or taking turns through
 * the host commit lock, and with one of them frozen (SIGSTOP) while it holds the lock: the others
 * stop waiting for it after their bound and finish, and once it resumes it finishes too. Every
 * batch is committed exactly once and versions stay contiguous. Writers of plain appends (no
 * application id) share commits through the lock: whoever holds it commits the files the others
 * have written; frozen while holding their requests, the others take theirs back.
 */
class DeltaHostCommitLockTest {
  private static final int WRITERS = 8;
  private static final int BATCHES = 6;
  private static final int ROWS = 20;
  /** Otherwise a bound no commit reaches even on a busy machine, so that every commit takes its turn. */
  private static final long LOCK_WAIT_MS = 60_000;

  @TempDir Path dir;
  /** Batches per writer in this test. */
  private int batches = BATCHES;
  /** Plain writers append without waiting for their earlier appends' commits (WriterProcess's "stream"). */
  private boolean streaming;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    for (Process p : started) {
      signal(p, "CONT");
      p.destroyForcibly();
    }
    DeltaWrites.awaitHooks();
  }

  private Process start(String location, String writer, long lockWaitMs, boolean plain) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), WriterProcess.class.getName(), location, writer, Integer.toString(batches),
        Integer.toString(ROWS)));
    command.add(Long.toString(lockWaitMs));
    if (plain) {
      command.add(streaming ? "stream" : "plain");
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(writer).toFile()));
    pb.environment().put("NEURALAKE_COMMIT_LOCK_DIR", locks().toString());
    pb.environment().put("NEURALAKE_CACHE_DIR", dir.resolve("cache-" + writer).toString());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private Path log(String writer) {
    return dir.resolve(writer + ".log");
  }

  private Path locks() {
    return dir.resolve("locks");
  }

  private static void signal(Process p, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private DeltaTable create(String name) {
    String location = dir.resolve("lake/" + name).toString();
    DeltaTable table = WriterProcess.table(location);
    table.create(new LakeContext(Location.parse(dir.toString()), Storage.defaults(), io.neuralake.engine.Engine.shared()));
    return table;
  }

  /** Starts the writers; {@code lockWaitMs} -1: without the host lock; {@code plain}: without application ids. */
  private Map<String, Process> startAll(DeltaTable table, long lockWaitMs, boolean plain) throws Exception {
    Map<String, Process> running = new LinkedHashMap<>();
    for (int w = 0; w < WRITERS; w++) {
      running.put("w" + w, start(table.location(), "w" + w, lockWaitMs, plain));
    }
    return running;
  }

  private void awaitDone(String writer, Process p, long minutes) throws Exception {
    assertThat(p.waitFor(minutes, TimeUnit.MINUTES)).as(writer + " finished; log: " + Files.readString(log(writer))).isTrue();
    String log = Files.readString(log(writer));
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log).contains("DONE");
  }

  /**
   * Every batch of every writer exactly once, the acknowledged ones among them, and contiguous
   * versions, which it returns.
   */
  private List<Long> verify(DeltaTable table) throws Exception {
    LakeContext context = new LakeContext(Location.parse(dir.toString()), Storage.defaults(), io.neuralake.engine.Engine.shared());
    Catalog catalog = Catalog.builder("c").database("db", table).build();
    try (DataFrame perBatch = catalog.db("db").table("ingest").groupBy("writer", "batch")
        .agg(Expr.countRows().as("n"), Expr.col("seq").nUnique().as("distinct_seq")).collect()) {
      assertThat(perBatch.rowCount()).as("every batch of every writer").isEqualTo((long) WRITERS * batches);
      assertThat(perBatch.column("n")).as("each batch exactly once").containsOnly((long) ROWS);
      assertThat(perBatch.column("distinct_seq")).containsOnly((long) ROWS);
    }
    for (int w = 0; w < WRITERS; w++) {
      Set<Long> acked = new HashSet<>();
      Files.readString(log("w" + w)).lines().filter(l -> l.startsWith("ACK "))
          .forEach(l -> acked.add(Long.parseLong(l.substring(4))));
      assertThat(acked).as("w" + w + " acknowledged every batch").containsExactlyInAnyOrderElementsOf(
          LongStream.range(0, batches).boxed().toList());
    }
    List<Long> versions = DeltaHistory.of(table, context).stream().map(Commit::version).toList();
    assertThat(versions).as("contiguous versions")
        .isEqualTo(LongStream.rangeClosed(versions.get(0), versions.get(versions.size() - 1)).boxed().toList());
    return versions;
  }

  @Test
  void eightProcessesRacingWithoutTheLock() throws Exception {
    DeltaTable table = create("racing");
    for (Map.Entry<String, Process> e : startAll(table, -1, false).entrySet()) {
      awaitDone(e.getKey(), e.getValue(), 5);
    }
    verify(table);
    assertThat(lockFiles()).as("no lock taken").isEmpty();
  }

  @Test
  void eightProcessesTakingTurnsThroughTheLock() throws Exception {
    DeltaTable table = create("turns");
    for (Map.Entry<String, Process> e : startAll(table, LOCK_WAIT_MS, false).entrySet()) {
      awaitDone(e.getKey(), e.getValue(), 5);
    }
    verify(table);
    assertThat(lockFiles()).as("one lock file for the table").hasSize(1);
    // while a writer holds the lock no other one commits: its first attempt may find the version
    // taken (its snapshot predates the others' turns), the second, on the winners, never does
    for (int w = 0; w < WRITERS; w++) {
      assertThat(Files.readString(log("w" + w)).lines().filter(l -> l.contains("Commit attempt") && !l.contains("Commit attempt 1 "))
          .toList()).as("w" + w + ": lost races after rebasing, while holding the lock").isEmpty();
    }
  }

  @Test
  void eightProcessesOfPlainAppendsSharingCommitsThroughTheLock() throws Exception {
    // a stream of appends, each not waiting for the one before: a writer's later batches write
    // their requests while its earlier ones still wait, and holders carry them all
    streaming = true;
    batches = 20;
    DeltaTable table = create("shared");
    for (Map.Entry<String, Process> e : startAll(table, LOCK_WAIT_MS, true).entrySet()) {
      awaitDone(e.getKey(), e.getValue(), 5);
    }
    List<Long> versions = verify(table);
    assertThat(versions.size() - 1).as("appends' versions (after the table's creation)").isLessThan(WRITERS * batches);
    assertThat(spoolLeftovers()).as("commit requests left beside the lock").isEmpty();
  }

  @Test
  void aWriterFrozenWhileHoldingTheLockDoesNotStopTheOthers() throws Exception {
    frozenHolder("frozen", false);
  }

  @Test
  void aWriterFrozenWhileHoldingOthersPlainAppendsDoesNotStopThem() throws Exception {
    // the frozen holder may have claimed others' requests: they take them back and commit them,
    // and once it resumes its commit goes without them (nothing twice). More batches, so that the
    // writers are still running when the test catches one holding others' requests.
    batches = 100;
    frozenHolder("frozen-plain", true);
    assertThat(spoolLeftovers()).as("commit requests left beside the lock").isEmpty();
  }

  private void frozenHolder(String name, boolean plain) throws Exception {
    DeltaTable table = create(name);
    // the bound is never reached: the waiters see the holder stopped and commit without the lock
    Map<String, Process> running = startAll(table, LOCK_WAIT_MS, plain);
    Process victim = running.get("w0");
    freezeWhileHoldingTheLock(victim, plain);
    long frozenAt = System.nanoTime();
    try {
      for (Map.Entry<String, Process> e : running.entrySet()) {
        if (e.getValue() != victim) {
          // had each of their commits waited out the bound (60 s), this would take more than an hour
          awaitDone(e.getKey(), e.getValue(), 4);
        }
      }
      assertThat(victim.isAlive()).isTrue();
      assertThat(heldBy(lockFiles().get(0))).as("the frozen writer still holds the lock").isEqualTo(victim.pid());
    } finally {
      signal(victim, "CONT");
    }
    System.err.println("the other writers finished " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt)
        + " ms after one was frozen holding the lock");
    awaitDone("w0", victim, 3);
    verify(table);
    if (plain) {
      List<String> tookBack = new ArrayList<>();
      for (int w = 1; w < WRITERS; w++) {
        Files.readString(log("w" + w)).lines().filter(l -> l.contains("claimed this writer's commit")).forEach(tookBack::add);
      }
      assertThat(tookBack).as("writers whose requests the frozen one held took them back").isNotEmpty();
    }
  }

  /**
   * Stops the process at a moment it holds the table's lock file, and with {@code claiming}, others'
   * commit requests too (tries until it does).
   */
  private void freezeWhileHoldingTheLock(Process victim, boolean claiming) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertThat(victim.isAlive()).as("the writer to freeze is still running").isTrue();
      List<Path> files = lockFiles();
      if (!files.isEmpty()) {
        signal(victim, "STOP");
        // held by the victim now, and still a moment later (a holder that runs releases within a commit)
        if (heldBy(files.get(0)) == victim.pid() && (!claiming || claimsOf(victim) > 0)) {
          Thread.sleep(500);
          if (heldBy(files.get(0)) == victim.pid()) {
            return;
          }
        }
        signal(victim, "CONT");
      }
      Thread.sleep(5);
    }
    throw new AssertionError("never caught the writer holding the lock");
  }

  /** How many commit requests of other writers the process has claimed. */
  private long claimsOf(Process holder) throws Exception {
    // names only: the writers rename these files as the test looks (a walk would stat them)
    String claimed = ".claimed-" + holder.pid();
    long count = 0;
    try (java.nio.file.DirectoryStream<Path> spools = Files.newDirectoryStream(locks(), "*.spool")) {
      for (Path spool : spools) {
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(spool)) {
          for (Path f : files) {
            count += f.getFileName().toString().endsWith(claimed) ? 1 : 0;
          }
        }
      }
    }
    return count;
  }

  private List<Path> spoolLeftovers() throws Exception {
    try (Stream<Path> files = Files.walk(locks())) {
      return files.filter(f -> f.getParent().toString().endsWith(".spool") && Files.isRegularFile(f)).toList();
    }
  }

  private List<Path> lockFiles() throws Exception {
    if (!Files.isDirectory(locks())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(locks())) {
      return files.filter(f -> f.toString().endsWith(".lock")).toList();
    }
  }

  /** The process holding the lock file (as it wrote there), or -1 if it is free. */
  private static long heldBy(Path file) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe != null) {
        probe.release();
        return -1;
      }
      String pid = Files.readString(file).trim();
      return pid.isEmpty() ? -1 : Long.parseLong(pid);
    }
  }
}
