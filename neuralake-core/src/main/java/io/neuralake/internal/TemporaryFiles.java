package io.neuralake.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files writers use before a result is complete. Their names say whose they are
 * ({@code .NAME.neuralake-PID-UUID.tmp}), so that:
 * <ul>
 *   <li>an interrupted process (SIGINT, SIGTERM) deletes those it has in flight, from a shutdown hook;
 *   <li>one killed outright (SIGKILL) leaves names the next write to that folder recognises and sweeps,
 *       once they are older than {@link #STALE_AFTER} and their process is gone (a concurrent writer's
 *       file is kept).
 * </ul>
 */
public final class TemporaryFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TemporaryFiles.class);

  /** Age after which a temporary file of a process that no longer runs is debris. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(10);

  private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final Pattern CURRENT = Pattern.compile("\\..+\\.neuralake-(\\d{1,18})-" + UUID_PATTERN + "\\.tmp");
  /** The name earlier versions used (no process id): still recognised, so their leftovers are swept too. */
  private static final Pattern EARLIER = Pattern.compile("\\..+\\." + UUID_PATTERN + "\\.tmp");

  /*
   * Process-wide on purpose, not per LakeRuntime: a signal ends the whole process, so its one
   * shutdown hook must see every runtime's files; and temporary names carry the process id, so
   * "ours" and "swept already" are facts about the process, whichever runtime wrote the file.
   */
  private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
  private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

  static {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(TemporaryFiles::deleteInFlight, "neuralake-temporary-files"));
    } catch (IllegalStateException shuttingDown) {
      // first used by another shutdown hook: nothing can be in flight yet
    }
  }

  private TemporaryFiles() {}

  /** A unique temporary name beside {@code target} (same folder, so a rename stays on one file system). */
  public static Path sibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".neuralake-" + ProcessHandle.current().pid() + "-"
        + UUID.randomUUID() + ".tmp");
  }

  /** A registered temporary file in the system's temporary folder, for results that are streamed on. */
  public static Path createInTempFolder(String suffix) throws IOException {
    Path tmp = Files.createTempFile("neuralake-", suffix);
    IN_FLIGHT.add(tmp);
    return tmp;
  }

  /** Marks a temporary path as in flight: deleted if the process is interrupted before {@link #release}. */
  public static Path register(Path tmp) {
    IN_FLIGHT.add(tmp.toAbsolutePath());
    return tmp;
  }

  /** Deletes a temporary path (if still there) and forgets it. */
  public static void release(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      LOG.debug("could not delete the temporary file {}: {}", tmp, e.getMessage());
    }
    IN_FLIGHT.remove(tmp.toAbsolutePath());
  }

  /** Deletes every temporary file this process has in flight (at shutdown, or before halting). */
  public static void deleteInFlight() {
    for (Path p : IN_FLIGHT) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException | RuntimeException ignored) {
        // shutting down: nothing to report to
      }
    }
  }

  /** Whether a path is one of these temporary files (this version's name or an earlier one). */
  public static boolean isTemporary(Path path) {
    Path name = path.getFileName();
    if (name == null) {
      return false;
    }
    String s = name.toString();
    return CURRENT.matcher(s).matches() || EARLIER.matcher(s).matches();
  }

  /**
   * Deletes the temporary files a killed process left in {@code folder}: the names above, older than
   * {@link #STALE_AFTER}, whose process (by the id in the name) no longer runs. Each folder is swept
   * once per process, so writing many files into one folder lists it once.
   */
  public static void sweep(Path folder) {
    if (!SWEPT.add(folder.toAbsolutePath()) || !Files.isDirectory(folder)) {
      return;
    }
    Instant cutoff = Instant.now().minus(STALE_AFTER);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, ".*.tmp")) {
      for (Path p : files) {
        if (isStale(p, cutoff)) {
          Files.deleteIfExists(p);
          LOG.info("deleted {}, left by an interrupted write", p);
        }
      }
    } catch (IOException e) {
      LOG.debug("could not sweep {} for leftover temporary files: {}", folder, e.getMessage());
    }
  }

  private static boolean isStale(Path p, Instant cutoff) throws IOException {
    String name = p.getFileName().toString();
    Matcher current = CURRENT.matcher(name);
    boolean ours = current.matches();
    if (!ours && !EARLIER.matcher(name).matches()) {
      return false;
    }
    if (ours && ProcessHandle.of(Long.parseLong(current.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    return Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
  }
}
