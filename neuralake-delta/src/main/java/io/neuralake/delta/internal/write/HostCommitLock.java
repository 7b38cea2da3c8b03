package io.neuralake.delta.internal.write;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.Settings;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns for the writers of one host: an OS lock on a file named after the table (its store's
 * identity and path), in {@code NEURALAKE_COMMIT_LOCK_DIR} or else next to the file cache. A
 * writer holds it while it commits, so the writers of a host queue instead of racing for each
 * log version.
 *
 * <p>The lock only spares work: put-if-absent remains what makes a commit safe, and a writer that
 * cannot get the lock within its bound commits anyway. The OS releases the lock when its holder
 * dies but not when it is stopped (SIGSTOP, a debugger): the file holds the process id of its
 * last holder, and a waiter that sees that process stopped commits at once instead of waiting
 * out the bound; a frozen VM is seen by nobody, and only the bound ends that wait.
 */
final class HostCommitLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HostCommitLock.class);
  static final String DIR_SETTING = "NEURALAKE_COMMIT_LOCK_DIR";
  /** How often a waiter tries the file lock again (the OS offers no timed wait). */
  private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
  /**
   * How often a waiter looks whether the holder is stopped. Reading the lock file and the holder's
   * {@code /proc} entry at every poll took about 40% of the commit threads' CPU when seven writer
   * processes waited (measured with {@code neuralake bench ingest}).
   */
  private static final long STOPPED_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /**
   * How often a waiter asks whether waiting is still worth it (a writer whose commit another
   * process made learns it here, without waiting for the lock behind the next commit).
   */
  static final long GIVE_UP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** An OS file lock belongs to the whole JVM: threads of one JVM take turns on this first. */
  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private final ReentrantLock inJvm;
  private final FileChannel channel;
  private final FileLock lock;

  private HostCommitLock(ReentrantLock inJvm, FileChannel channel, FileLock lock) {
    this.inJvm = inJvm;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of a table (by its {@link io.neuralake.delta.internal.DeltaRuntime#key}). */
  static Path file(LakeContext context, String tableKey) {
    Path dir = Settings.path(DIR_SETTING).orElseGet(() -> context.storage().cache().dir().resolve("commit-locks"));
    return dir.resolve(sha256(tableKey) + ".lock");
  }

  /**
   * Takes the lock, waiting at most {@code maxWait}; null if it was not free by then (the caller
   * commits without it). A lock folder that cannot be written is an error naming it.
   */
  static HostCommitLock acquire(Path file, Duration maxWait) {
    return acquire(file, maxWait, () -> false);
  }

  /**
   * Takes the lock, waiting at most {@code maxWait} and only while {@code pointless} (asked every
   * {@link #GIVE_UP_CHECK_NANOS}) is false; null if it was not taken.
   */
  static HostCommitLock acquire(Path file, Duration maxWait, BooleanSupplier pointless) {
    try {
      return acquireInterruptibly(file, maxWait, pointless);
    } catch (InterruptedException e) {
      // the commit goes on without the lock (put-if-absent keeps it safe); the caller sees the flag
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static HostCommitLock acquireInterruptibly(Path file, Duration maxWait, BooleanSupplier pointless)
      throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    ReentrantLock inJvm = IN_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock(true));
    if (!inJvm.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
      return null;
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long nextStoppedCheck = System.nanoTime();
      long nextGiveUpCheck = nextStoppedCheck + GIVE_UP_CHECK_NANOS;
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          // who holds it, for whoever wonders why commits wait (and for tests)
          channel.truncate(0);
          channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
          return new HostCommitLock(inJvm, channel, lock);
        }
        long now = System.nanoTime();
        long left = deadline - now;
        OptionalLong stopped = OptionalLong.empty();
        if (left > 0 && now - nextStoppedCheck >= 0) {
          stopped = stoppedHolder(channel);
          nextStoppedCheck = now + STOPPED_CHECK_NANOS;
        }
        if (left > 0 && now - nextGiveUpCheck >= 0) {
          if (pointless.getAsBoolean()) {
            channel.close();
            inJvm.unlock();
            return null;
          }
          nextGiveUpCheck = now + GIVE_UP_CHECK_NANOS;
        }
        if (left <= 0 || stopped.isPresent()) {
          if (stopped.isPresent()) {
            LOG.info("the host commit lock {} is held by process {}, which is stopped; committing without it", file,
                stopped.getAsLong());
          } else {
            LOG.info("the host commit lock {} was not free within {}; committing without it", file, maxWait);
          }
          channel.close();
          inJvm.unlock();
          return null;
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(POLL_NANOS, left));
      }
    } catch (IOException e) {
      closeQuietly(channel);
      inJvm.unlock();
      throw new NeuralakeException(ErrorCode.STORAGE_ACCESS_DENIED, "cannot use the host commit lock file " + file + " (" + e
          + "); make its folder writable, or set " + DIR_SETTING + " to a writable folder", e);
    } catch (InterruptedException | RuntimeException e) {
      closeQuietly(channel);
      inJvm.unlock();
      throw e;
    }
  }

  /**
   * The holder's process id if the holder is stopped (SIGSTOP, a debugger): it keeps the lock but
   * will not commit, so waiting for it is pointless. Known where the system shows process states
   * ({@code /proc}, Linux); elsewhere, and while the file names no live process, empty: the wait
   * runs to its bound.
   */
  private static OptionalLong stoppedHolder(FileChannel channel) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(24);
    try {
      channel.read(buffer, 0);
    } catch (IOException e) {
      return OptionalLong.empty(); // unknown: wait, as without the check
    }
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    long pid;
    try {
      pid = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // a holder between taking the lock and writing its id
    }
    return isStopped(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  /** Whether a process is in the stopped state ({@code T}, or {@code t} when traced) per {@code /proc/<pid>/stat}. */
  static boolean isStopped(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // "pid (command) S ...": the state follows the command, which may itself hold spaces and parentheses
      int end = stat.lastIndexOf(')');
      if (end < 0 || end + 2 >= stat.length()) {
        return false;
      }
      char state = stat.charAt(end + 2);
      return state == 'T' || state == 't';
    } catch (IOException e) {
      return false; // no such process (or no /proc): not known to be stopped
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // held by this JVM through another path to the same file: not free
      return null;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("releasing the host commit lock: {}", e.toString());
    } finally {
      closeQuietly(channel);
      inJvm.unlock();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing the host commit lock file: {}", e.toString());
      }
    }
  }

  /** A short hex digest of the text (the first 128 bits of its SHA-256), for file names and fingerprints. */
  static String sha256(String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
