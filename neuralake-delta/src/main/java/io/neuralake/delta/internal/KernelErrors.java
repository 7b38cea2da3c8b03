package io.neuralake.delta.internal;

import static io.neuralake.spi.Messages.firstLine;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import io.delta.kernel.exceptions.CommitRangeNotFoundException;
import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.InvalidConfigurationValueException;
import io.delta.kernel.exceptions.InvalidTableException;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.exceptions.StartVersionNotFoundException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.exceptions.UnknownConfigurationException;
import io.delta.kernel.exceptions.UnsupportedProtocolVersionException;
import io.delta.kernel.exceptions.UnsupportedTableFeatureException;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
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
 * to blame, and what to do (Kernel's own messages are parser or engine texts that name neither),
 * and the {@link ErrorCode} of any Kernel failure, read or write.
 */
public final class KernelErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Log entries Kernel parses as JSON lines: commits, compacted ranges, v2 checkpoint manifests. */
  private static final Pattern JSON_ENTRY = Pattern.compile("\\d{20}\\..*json");
  /** Checkpoints in Parquet: classic, multi-part and v2. */
  private static final Pattern PARQUET_ENTRY = Pattern.compile("\\d{20}\\.checkpoint\\..*parquet");
  /** Kernel's words for a version or time outside the table's history. */
  private static final Pattern VERSION_MISSING = Pattern.compile(
      "Cannot load table version|is (before the earliest|after the latest) available version|no log file found for version");

  private KernelErrors() {}

  public static RuntimeException translate(String table, Location location, ObjectStore store, RuntimeException e) {
    String where = "table '" + table + "' at " + location;
    if (has(e, TableNotFoundException.class)) {
      return new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "table '" + table + "': no Delta table at " + location
          + " (no _delta_log); check the location, or create the table (DeltaTable.create())", e);
    }
    if (e instanceof UncheckedIOException u && !has(e, JacksonException.class)) {
      return new NeuralakeException(code(u) == ErrorCode.INTERNAL ? ErrorCode.STORAGE_UNAVAILABLE : code(u),
          where + ": reading the log failed: " + u.getCause().getMessage(), u.getCause());
    }
    if (e instanceof KernelException && !(e instanceof KernelEngineException) || e instanceof UnsupportedOperationException) {
      return new NeuralakeException(code(e), where + ": " + firstLine(e.getMessage()), e);
    }
    Optional<String> damaged = damagedEntry(store, location);
    if (damaged.isPresent()) {
      return new NeuralakeException(ErrorCode.CORRUPT_LOG,
          where + ": the log entry " + damaged.get() + " is corrupt; restore it"
          + " (from a backup or replica), or read a version before it"
          + (damaged.get().contains(".checkpoint.") ? "; a checkpoint can also be deleted, with _delta_log/_last_checkpoint,"
              + " while the commits before it are still there" : ""), e);
    }
    ErrorCode code = code(e);
    return new NeuralakeException(code == ErrorCode.INTERNAL ? ErrorCode.CORRUPT_LOG : code,
        where + ": the log cannot be read (" + firstLine(e.getMessage()) + "); it may be corrupt", e);
  }

  /**
   * The code of a failure in Kernel, read or write: Kernel's exception types say most of it (a
   * lost commit race, a missing table, an unsupported feature), its messages the rest (a version
   * that is not there, data of another schema). A failure of our own code under Kernel (storage,
   * say) keeps its code. {@link ErrorCode#INTERNAL} when none of these applies.
   */
  public static ErrorCode code(Throwable e) {
    ErrorCode known = ErrorCode.of(e);
    if (known != ErrorCode.INTERNAL) {
      return known;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      ErrorCode code = kernelCode(t);
      if (code != ErrorCode.INTERNAL) {
        return code;
      }
    }
    return ErrorCode.INTERNAL;
  }

  private static ErrorCode kernelCode(Throwable t) {
    String message = String.valueOf(t.getMessage());
    return switch (t) {
      case TableNotFoundException x -> ErrorCode.TABLE_NOT_FOUND;
      case TableAlreadyExistsException x -> ErrorCode.ALREADY_EXISTS;
      case CheckpointAlreadyExistsException x -> ErrorCode.ALREADY_EXISTS;
      case ConcurrentWriteException x -> ErrorCode.COMMIT_CONFLICT;
      case MaxCommitRetryLimitReachedException x -> ErrorCode.COMMIT_CONFLICT;
      case UnsupportedTableFeatureException x -> ErrorCode.NOT_SUPPORTED;
      case UnsupportedProtocolVersionException x -> ErrorCode.NOT_SUPPORTED;
      case InvalidTableException x -> ErrorCode.CORRUPT_LOG;
      case CommitRangeNotFoundException x -> ErrorCode.VERSION_NOT_FOUND;
      case StartVersionNotFoundException x -> ErrorCode.VERSION_NOT_FOUND;
      case InvalidConfigurationValueException x -> ErrorCode.INVALID_ARGUMENT;
      case UnknownConfigurationException x -> ErrorCode.INVALID_ARGUMENT;
      case CommitStateUnknownException x -> ErrorCode.STORAGE_UNAVAILABLE;
      case JacksonException x -> ErrorCode.CORRUPT_LOG;
      case UnsupportedOperationException x -> ErrorCode.NOT_SUPPORTED;
      case KernelException x when VERSION_MISSING.matcher(message).find() -> ErrorCode.VERSION_NOT_FOUND;
      case KernelException x when message.contains("doesn't match the table schema") -> ErrorCode.SCHEMA_MISMATCH;
      case KernelException x when message.startsWith("Column '") && message.contains("was not found") ->
          ErrorCode.COLUMN_NOT_FOUND;
      case KernelException x when message.startsWith("Missing checkpoint") -> ErrorCode.CORRUPT_LOG;
      case KernelException x -> ErrorCode.INVALID_ARGUMENT;
      default -> ErrorCode.INTERNAL;
    };
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
