package io.neuralake.delta.internal;

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

  private KernelErrors() {}

  public static RuntimeException translate(String table, Location location, ObjectStore store, RuntimeException e) {
    String where = "table '" + table + "' at " + location;
    if (has(e, TableNotFoundException.class)) {
      return new IllegalArgumentException("table '" + table + "': no Delta table at " + location
          + " (no _delta_log); check the location, or create the table (DeltaTable.create())", e);
    }
    if (has(e, JacksonException.class)) {
      Optional<String> entry = unparsableEntry(store, location);
      if (entry.isPresent()) {
        return new IllegalArgumentException(where + ": the log entry " + entry.get() + " is corrupt; restore it"
            + " (from a backup or replica), or read a version before it", e);
      }
    }
    if (e instanceof UncheckedIOException u) {
      return new UncheckedIOException(where + ": reading the log failed: " + u.getCause().getMessage(), u.getCause());
    }
    if (e instanceof KernelException && !(e instanceof KernelEngineException) || e instanceof UnsupportedOperationException) {
      return new IllegalArgumentException(where + ": " + firstLine(e.getMessage()), e);
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
   * The first log entry with a line that is not JSON, and why: Kernel's parse error does not say
   * which file it was reading. Only read when a read already failed.
   */
  private static Optional<String> unparsableEntry(ObjectStore store, Location table) {
    try {
      for (ObjectInfo o : store.list(table.asFolder().resolve("_delta_log/"))) {
        if (!JSON_ENTRY.matcher(o.location().name()).matches()) {
          continue;
        }
        String[] lines = new String(store.get(o.location()), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
          try {
            if (!lines[i].isBlank()) {
              JSON.readTree(lines[i]);
            }
          } catch (JacksonException bad) {
            return Optional.of(o.location() + " (line " + (i + 1) + ": " + bad.getOriginalMessage() + ")");
          }
        }
      }
    } catch (IOException unreadable) {
      return Optional.empty(); // the caller reports Kernel's error instead
    }
    return Optional.empty();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
