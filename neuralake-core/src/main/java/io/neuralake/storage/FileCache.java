package io.neuralake.storage;

import io.neuralake.internal.Env;
import io.neuralake.internal.Pools;
import io.neuralake.internal.TemporaryFiles;
import io.neuralake.runtime.LakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local cache of immutable remote files (Parquet data files, Delta log entries and
 * checkpoints), so repeated reads do not pay for the network again.
 *
 * <ul>
 *   <li>Keyed by URI, size and ETag: a changed object has a new key, so it is never served stale.
 *   <li>Fetched with parallel ranged GETs into a temporary file, then renamed into place: a
 *       download that fails half-way leaves nothing behind.
 *   <li>A cached file of the wrong size (damaged) is detected and fetched again.
 *   <li>Bounded: beyond {@code maxBytes} the least recently used files go (file times record use).
 *   <li>Shared by processes: a lock file per entry makes one process download while the others
 *       wait and then find it there.
 * </ul>
 */
public final class FileCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileCache.class);
  public static final long DEFAULT_MAX_BYTES = 10L << 30;
  /** Size of one ranged GET. */
  static final int CHUNK_BYTES = 8 << 20;
  /** How long to wait for another process's download of the same file. */
  private static final Duration LOCK_WAIT = Duration.ofMinutes(10);
  /** Files used this recently are not evicted (see the constructor). */
  public static final Duration DEFAULT_IN_USE_GRACE = Duration.ofMinutes(1);
  /** Parallel ranged GETs per cache, whatever the number of stores using it. */
  private static final int RANGE_THREADS = 32;

  /**
   * Copies a byte range of the remote object into {@code out} at the same offset, retrying
   * transient failures itself (a retry rewrites the range from its start, which positional
   * writes make safe). Streaming keeps memory flat: no buffer the size of a range.
   */
  @FunctionalInterface
  public interface RangeSource {
    void copy(long offset, int length, FileChannel out) throws IOException;

    /** A source that returns whole byte arrays (small objects, tests). */
    static RangeSource ofBytes(BytesReader reader) {
      return (offset, length, out) -> {
        byte[] bytes = reader.read(offset, length);
        if (bytes.length != length) {
          throw new IOException("short read at " + offset + ": got " + bytes.length + " of " + length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = offset;
        while (buffer.hasRemaining()) {
          position += out.write(buffer, position);
        }
      };
    }
  }

  /** Reads a byte range into an array. */
  @FunctionalInterface
  public interface BytesReader {
    byte[] read(long offset, int length) throws IOException;
  }

  private final Path dir;
  private final long maxBytes;
  private final Duration inUseGrace;
  private final CacheMetrics metrics = new CacheMetrics();
  /**
   * Downloads in progress in this JVM, by cache file: shared by every cache instance (so JVM-wide,
   * not per LakeRuntime), because two instances over one folder, in one runtime or two, must not
   * both lock an entry (a second lock on a file the JVM already locks throws, and closing that
   * channel would drop the first lock for other processes).
   */
  private static final ConcurrentHashMap<Path, CompletableFuture<Path>> IN_FLIGHT = new ConcurrentHashMap<>();
  private long estimatedBytes = -1;
  /** The ranged GETs' threads: made on first download, idle ones time out, stopped by {@link #close()}. */
  private ThreadPoolExecutor ranges; // guarded by this
  private boolean closed; // guarded by this

  /**
   * @param inUseGrace files used this recently are not evicted, as a query may be reading them
   */
  public FileCache(Path dir, long maxBytes, Duration inUseGrace) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("the cache size must be positive, got " + maxBytes);
    }
    this.dir = dir.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.inUseGrace = inUseGrace;
  }

  /** {@code NEURALAKE_CACHE_DIR} (default: the user's cache folder) and {@code NEURALAKE_CACHE_MAX_BYTES}. */
  public static FileCache fromEnvironment() {
    Path dir = Env.get("NEURALAKE_CACHE_DIR", Env::parsePath).orElseGet(FileCache::defaultDir);
    long max = Env.get("NEURALAKE_CACHE_MAX_BYTES", Env::parseBytes).orElse(DEFAULT_MAX_BYTES);
    return new FileCache(dir, max, DEFAULT_IN_USE_GRACE);
  }

  private static Path defaultDir() {
    return Env.get("XDG_CACHE_HOME", Env::parsePath)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache")).resolve("neuralake");
  }

  public Path dir() {
    return dir;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public CacheMetrics metrics() {
    return metrics;
  }

  /** The local copy of an object, fetched on first use. */
  public Path get(ObjectInfo object, RangeSource source) throws IOException {
    String key = key(object);
    Path file = dir.resolve(key.substring(0, 2)).resolve(key);
    if (isComplete(file, object.size())) {
      touch(file);
      metrics.hits.incrementAndGet();
      return file;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = IN_FLIGHT.putIfAbsent(file, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Path fetched = fetchLocked(object, source, key, file);
      mine.complete(fetched);
      return fetched;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      IN_FLIGHT.remove(file);
    }
  }

  /** The local copy of an object if it is cached already (complete); nothing is fetched. */
  public java.util.Optional<Path> cached(ObjectInfo object) throws IOException {
    String key = key(object);
    Path file = dir.resolve(key.substring(0, 2)).resolve(key);
    if (!isComplete(file, object.size())) {
      return java.util.Optional.empty();
    }
    touch(file); // a look, not a read: the hit counts when the engine reads it
    return java.util.Optional.of(file);
  }

  private Path fetchLocked(ObjectInfo object, RangeSource source, String key, Path file) throws IOException {
    Path lockFile = dir.resolve("locks").resolve(key + ".lock");
    Files.createDirectories(lockFile.getParent());
    Files.createDirectories(file.getParent());
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = acquire(lockChannel, object)) {
      if (isComplete(file, object.size())) {
        touch(file); // another process fetched it while we waited
        metrics.hits.incrementAndGet();
        return file;
      }
      if (Files.exists(file)) {
        LOG.warn("cached copy of {} has the wrong size; fetching it again", object.location());
        metrics.corrupt.incrementAndGet();
        Files.deleteIfExists(file);
      }
      metrics.misses.incrementAndGet();
      download(object, source, file);
    }
    try {
      evictIfNeeded(file, object.size());
    } catch (IOException | UncheckedIOException e) {
      // the file is fetched: a failed clean-up must not fail the read; the next fetch evicts again
      LOG.warn("could not evict old files from the cache folder {}: {}", dir, e.toString());
    }
    return file;
  }

  /**
   * Waits for the entry's lock by polling. A blocking lock would make the kernel's deadlock
   * detection, which sees whole processes, report false deadlocks between processes whose
   * threads each hold one entry while waiting for another.
   */
  private static FileLock acquire(FileChannel channel, ObjectInfo object) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("waited " + LOCK_WAIT.toMinutes() + " minutes for another process to fetch "
            + object.location() + " into the cache; remove stale files under the cache folder's locks/ if none is running");
      }
      try {
        Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the cache lock of " + object.location(), e);
      }
    }
  }

  private void download(ObjectInfo object, RangeSource source, Path file) throws IOException {
    // a killed process's leftovers (its id gone, long untouched); other downloads' files are kept
    TemporaryFiles.sweep(file.getParent());
    Path tmp = TemporaryFiles.register(TemporaryFiles.sibling(file)); // deleted on SIGINT/SIGTERM too
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        List<Future<Void>> parts = new ArrayList<>();
        for (long offset = 0; offset < object.size(); offset += CHUNK_BYTES) {
          long start = offset;
          int length = (int) Math.min(CHUNK_BYTES, object.size() - offset);
          parts.add(ranges().submit(() -> {
            source.copy(start, length, out);
            return null;
          }));
        }
        awaitAll(parts, object);
      }
      long size = Files.size(tmp);
      if (size != object.size()) {
        throw new IOException("fetched " + size + " bytes of " + object.location() + ", expected " + object.size());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      metrics.bytesFetched.addAndGet(object.size());
    } finally {
      TemporaryFiles.release(tmp);
    }
  }

  private synchronized ExecutorService ranges() {
    if (closed) {
      throw LakeRuntime.closedError("fetch into the file cache at " + dir);
    }
    if (ranges == null) {
      ranges = Pools.daemon("neuralake-fetch", RANGE_THREADS);
    }
    return ranges;
  }

  /**
   * Stops the download threads (downloads under way get a few seconds, then are interrupted);
   * later downloads through this cache fail. Cached files stay.
   */
  @Override
  public void close() {
    ThreadPoolExecutor pool;
    synchronized (this) {
      closed = true;
      pool = ranges;
    }
    if (pool != null) {
      Pools.stop(pool, Duration.ofSeconds(10), "downloads into the file cache at " + dir);
    }
  }

  private static void awaitAll(List<Future<Void>> parts, ObjectInfo object) throws IOException {
    try {
      for (Future<Void> f : parts) {
        f.get();
      }
    } catch (ExecutionException e) {
      parts.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("fetching " + object.location() + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      parts.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IOException("fetching " + object.location() + " was interrupted", e);
    }
  }

  private static Path await(CompletableFuture<Path> running) throws IOException {
    try {
      return running.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Removes least recently used files until the cache is within its bound. */
  private synchronized void evictIfNeeded(Path justFetched, long added) throws IOException {
    if (estimatedBytes < 0) {
      estimatedBytes = entries().stream().mapToLong(Entry::size).sum();
    } else {
      estimatedBytes += added;
    }
    if (estimatedBytes <= maxBytes) {
      return;
    }
    List<Entry> entries = entries();
    long total = entries.stream().mapToLong(Entry::size).sum();
    Instant recent = Instant.now().minus(inUseGrace);
    for (Entry e : entries) {
      if (total <= maxBytes) {
        break;
      }
      if (e.path.equals(justFetched) || e.lastUsed.toInstant().isAfter(recent)) {
        continue;
      }
      try {
        Files.deleteIfExists(e.path);
        total -= e.size;
        metrics.evictions.incrementAndGet();
      } catch (IOException ex) {
        LOG.debug("could not evict {}: {}", e.path, ex.toString());
      }
    }
    estimatedBytes = total;
  }

  private record Entry(Path path, long size, FileTime lastUsed) {}

  /**
   * Cached files, least recently used first. Other threads and processes download, rename and
   * evict while this lists, so only entry names are looked at (not their temporary files) and an
   * entry or shard folder that is gone by the time it is read is skipped.
   */
  private List<Entry> entries() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Path shard : list(dir)) {
      if (shard.getFileName().toString().length() != 2) {
        continue; // locks/
      }
      for (Path p : list(shard)) {
        if (!isEntryName(p.getFileName().toString())) {
          continue; // another download's temporary file, renamed or deleted at any moment
        }
        try {
          out.add(new Entry(p, Files.size(p), Files.getLastModifiedTime(p)));
        } catch (NoSuchFileException gone) {
          // evicted by another process meanwhile
        }
      }
    }
    out.sort(Comparator.comparing(Entry::lastUsed));
    return out;
  }

  /** A folder's entries, or none if it is gone or is not a folder (the cache never removes its folders, people may). */
  private static List<Path> list(Path folder) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      List<Path> out = new ArrayList<>();
      entries.forEach(out::add);
      return out;
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return List.of();
    }
  }

  private static boolean isEntryName(String name) {
    return name.length() == 64 && name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }

  private static boolean isComplete(Path file, long size) throws IOException {
    try {
      return Files.size(file) == size;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      LOG.debug("could not mark {} as used: {}", file, e.toString());
    }
  }

  static String key(ObjectInfo object) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((object.location() + "\n" + object.size() + "\n" + object.etag()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
