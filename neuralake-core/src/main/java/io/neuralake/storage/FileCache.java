package io.neuralake.storage;

import io.neuralake.internal.AtomicFiles;
import io.neuralake.internal.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
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
public final class FileCache {
  private static final Logger LOG = LoggerFactory.getLogger(FileCache.class);
  public static final long DEFAULT_MAX_BYTES = 10L << 30;
  /** Size of one ranged GET. */
  static final int CHUNK_BYTES = 8 << 20;
  /** How long to wait for another process's download of the same file. */
  private static final Duration LOCK_WAIT = Duration.ofMinutes(10);
  private static final ExecutorService RANGES = Executors.newFixedThreadPool(32, r -> {
    Thread t = new Thread(r, "neuralake-fetch");
    t.setDaemon(true);
    return t;
  });

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
  private final ConcurrentHashMap<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
  private long estimatedBytes = -1;

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
    return new FileCache(dir, max, Duration.ofMinutes(1));
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
    CompletableFuture<Path> running = inFlight.putIfAbsent(key, mine);
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
      inFlight.remove(key);
    }
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
    evictIfNeeded(file, object.size());
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
    Path tmp = AtomicFiles.temporarySibling(file);
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        List<Future<Void>> parts = new ArrayList<>();
        for (long offset = 0; offset < object.size(); offset += CHUNK_BYTES) {
          long start = offset;
          int length = (int) Math.min(CHUNK_BYTES, object.size() - offset);
          parts.add(RANGES.submit(() -> {
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
      Files.deleteIfExists(tmp);
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
  private synchronized void evictIfNeeded(Path justFetched, long added) {
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

  /** Cached files, least recently used first. */
  private List<Entry> entries() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String name = p.getFileName().toString();
        if (name.length() == 64 && Files.isRegularFile(p)) {
          try {
            out.add(new Entry(p, Files.size(p), Files.getLastModifiedTime(p)));
          } catch (NoSuchFileException gone) {
            // evicted by another process meanwhile
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(Entry::lastUsed));
    return out;
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
