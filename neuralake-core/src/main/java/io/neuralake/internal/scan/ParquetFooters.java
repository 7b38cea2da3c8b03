package io.neuralake.internal.scan;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.Engine;
import io.neuralake.engine.QueryException;
import io.neuralake.internal.TemporaryFiles;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The columns of Parquet objects from their footers alone. A file already local (a local table, a
 * cached copy) is read in place; a remote one costs a ranged read of its tail, written to a small
 * local file of the footer only, which the engine reads as it reads any Parquet file (so types are
 * the engine's own, exactly as when it reads the data).
 */
public final class ParquetFooters {
  /** Read first from a file's end: the footer of a narrow table and its length fit in one request. */
  static final int TAIL_BYTES = 4 << 10;
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final int PARALLEL_READS = 32;

  private ParquetFooters() {}

  /** The columns of the files together (by name, as the engine unions them), from their footers. */
  public static Schema schema(Engine engine, ObjectStore store, List<ObjectInfo> files) throws IOException {
    List<Path> footers = new ArrayList<>();
    List<Path> temporary = new ArrayList<>();
    try {
      for (Optional<Path> local : localCopies(store, files)) {
        footers.add(local.orElse(null));
      }
      List<Integer> remote = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        if (footers.get(i) == null) {
          remote.add(i);
        }
      }
      List<Path> fetched = fetchFooters(store, remote.stream().map(files::get).toList());
      for (int i = 0; i < remote.size(); i++) {
        footers.set(remote.get(i), fetched.get(i));
        temporary.add(fetched.get(i));
      }
      return describe(engine, files, footers);
    } finally {
      temporary.forEach(TemporaryFiles::release);
    }
  }

  /** The engine's schema of the footers; a file it cannot read is named by its location, not a local copy. */
  private static Schema describe(Engine engine, List<ObjectInfo> files, List<Path> footers) throws IOException {
    try {
      return engine.parquetSchema(footers);
    } catch (QueryException e) {
      String detail = QueryException.engineMessage(e);
      for (int i = 0; i < footers.size(); i++) {
        String local = footers.get(i).toString();
        if (!detail.contains(local)) {
          local = SqlLiterals.globEscaped(footers.get(i));
        }
        if (detail.contains(local)) {
          throw unreadable(files.get(i), detail.replaceFirst(" LINE \\d+: .*", "").replace(local, files.get(i).location().toString()), e);
        }
      }
      throw e;
    }
  }

  private static List<Optional<Path>> localCopies(ObjectStore store, List<ObjectInfo> files) throws IOException {
    List<Optional<Path>> out = new ArrayList<>(files.size());
    for (ObjectInfo f : files) {
      out.add(store.localCopy(f));
    }
    return out;
  }

  /**
   * The footers of remote files: the first alone, whose footer length then sizes the tail read of
   * the others (files of one table have footers of about one size), the rest in parallel. Platform
   * threads: the S3 client's blocking I/O would pin virtual threads to the few carrier threads.
   */
  private static List<Path> fetchFooters(ObjectStore store, List<ObjectInfo> files) throws IOException {
    if (files.isEmpty()) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    Footer first = fetchFooter(store, files.get(0), TAIL_BYTES);
    out.add(first.file());
    int tail = (int) Math.min(TAIL_BYTES, first.length() * 5L / 4 + 8 + 64);
    if (files.size() == 1) {
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_READS, files.size() - 1), r -> {
      Thread t = new Thread(r, "neuralake-footers");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Footer>> futures = new ArrayList<>();
      for (ObjectInfo f : files.subList(1, files.size())) {
        futures.add(pool.submit(() -> fetchFooter(store, f, tail)));
      }
      IOException failure = null;
      for (Future<Footer> f : futures) {
        try {
          out.add(f.get().file());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.forEach(TemporaryFiles::release);
          throw new IOException("interrupted while reading Parquet footers", e);
        }
      }
      if (failure != null) {
        out.forEach(TemporaryFiles::release);
        throw failure;
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A footer written to a local file, and its length. */
  private record Footer(Path file, int length) {}

  /** A local file holding just the object's footer, framed as a Parquet file. */
  private static Footer fetchFooter(ObjectStore store, ObjectInfo file, int tailBytes) throws IOException {
    if (file.size() < 12) {
      throw notParquet(file, "it has only " + file.size() + " bytes");
    }
    int tailLength = (int) Math.min(file.size(), tailBytes);
    byte[] tail = store.getRange(file.location(), file.size() - tailLength, tailLength);
    int footerLength = footerLength(file, tail);
    byte[] footer;
    if (footerLength + 8 <= tail.length) {
      footer = java.util.Arrays.copyOfRange(tail, tail.length - 8 - footerLength, tail.length - 8);
    } else {
      footer = store.getRange(file.location(), file.size() - 8 - footerLength, footerLength);
    }
    Path out = TemporaryFiles.createInTempFolder(".parquet");
    ByteBuffer framed = ByteBuffer.allocate(4 + footer.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    framed.put(MAGIC).put(footer).putInt(footer.length).put(MAGIC);
    Files.write(out, framed.array());
    return new Footer(out, footer.length);
  }

  /** The footer's length from a file's last 8 bytes: a 4-byte little-endian length, then {@code PAR1}. */
  static int footerLength(ObjectInfo file, byte[] tail) throws IOException {
    int n = tail.length;
    if (n < 8 || tail[n - 4] != 'P' || tail[n - 3] != 'A' || tail[n - 2] != 'R' || tail[n - 1] != '1') {
      throw notParquet(file, "it does not end with the Parquet magic bytes");
    }
    int length = ByteBuffer.wrap(tail, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (length <= 0 || length > file.size() - 12) {
      throw notParquet(file, "its footer length " + length + " does not fit its " + file.size() + " bytes");
    }
    return length;
  }

  private static IOException notParquet(ObjectInfo file, String why) {
    return unreadable(file, why, null);
  }

  /** An I/O failure of planning that carries its kind: a damaged file, not an outage. */
  private static IOException unreadable(ObjectInfo file, String why, Exception cause) {
    String message = "the file " + file.location() + " cannot be read (" + why
        + "); it may be damaged, cut short or not Parquet: rewrite or remove it";
    return new IOException(message, new NeuralakeException(ErrorCode.CORRUPT_FILE, message, cause));
  }
}
