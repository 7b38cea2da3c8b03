package io.neuralake.delta.internal;

import static io.neuralake.spi.Messages.firstLine;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Delta Kernel's failures on the read path, as errors that name the table, the file when one is
 * to blame, and what to do. Kernel's own messages are parser or engine texts that name neither.
 */
public final class KernelErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Log entries Kernel parses as JSON lines: commits, compacted ranges, v2 checkpoint manifests. */
  private static final Pattern JSON_ENTRY = Pattern.compile("\\d{20}\\..*json");
  /** Checkpoints in Parquet: classic, multi-part and v2. */
  private static final Pattern PARQUET_ENTRY = Pattern.compile("\\d{20}\\.checkpoint\\..*parquet");

  private KernelErrors() {}

  public static RuntimeException translate(String table, Location location, ObjectStore store, RuntimeException e) {
    String where = "table '" + table + "' at " + location;
    if (has(e, TableNotFoundException.class)) {
      return new IllegalArgumentException("table '" + table + "': no Delta table at " + location
          + " (no _delta_log); check the location, or create the table (DeltaTable.create())", e);
    }
    if (e instanceof UncheckedIOException u && !has(e, JacksonException.class)) {
      return new UncheckedIOException(where + ": reading the log failed: " + u.getCause().getMessage(), u.getCause());
    }
    if (e instanceof KernelException && !(e instanceof KernelEngineException) || e instanceof UnsupportedOperationException) {
      return new IllegalArgumentException(where + ": " + firstLine(e.getMessage()), e);
    }
    Optional<String> damaged = damagedEntry(store, location);
    if (damaged.isPresent()) {
      return new IllegalArgumentException(where + ": the log entry " + damaged.get() + " is corrupt; restore it"
          + " (from a backup or replica), or read a version before it"
          + (damaged.get().contains(".checkpoint.") ? "; a checkpoint can also be deleted, with _delta_log/_last_checkpoint,"
              + " while the commits before it are still there" : ""), e);
    }
    return new IllegalArgumentException(where + ": the log cannot be read (" + firstLine(e.getMessage())
        + "); it may be corrupt", e);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first damaged log entry, and why: a JSON entry with a line that is not JSON, or a Parquet
   * checkpoint without Parquet's magic bytes. Kernel's parser errors do not say which file they
   * were reading. Only looked for once a read has failed.
   */
  private static Optional<String> damagedEntry(ObjectStore store, Location table) {
    try {
      for (ObjectInfo o : store.list(table.asFolder().resolve("_delta_log/"))) {
        String name = o.location().name();
        Optional<String> problem = JSON_ENTRY.matcher(name).matches() ? notJson(store.get(o.location()))
            : PARQUET_ENTRY.matcher(name).matches() ? notParquet(store, o) : Optional.empty();
        if (problem.isPresent()) {
          return Optional.of(o.location() + " (" + problem.get() + ")");
        }
      }
    } catch (IOException unreadable) {
      return Optional.empty(); // the caller reports Kernel's error instead
    }
    return Optional.empty();
  }

  private static Optional<String> notJson(byte[] bytes) {
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      try {
        if (!lines[i].isBlank()) {
          JSON.readTree(lines[i]);
        }
      } catch (JacksonException bad) {
        return Optional.of("line " + (i + 1) + ": " + bad.getOriginalMessage());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> notParquet(ObjectStore store, ObjectInfo o) throws IOException {
    byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
    boolean ok = o.size() >= 8 && Arrays.equals(store.getRange(o.location(), 0, 4), magic)
        && Arrays.equals(store.getRange(o.location(), o.size() - 4, 4), magic);
    return ok ? Optional.empty() : Optional.of("not a Parquet file");
  }
}
