package io.neuralake.internal.engine;

import io.neuralake.ErrorCode;
import io.neuralake.engine.QueryException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code of an engine (DuckDB) error. DuckDB starts every message with the kind of error
 * ({@code Binder Error: ...}); the kind is stable, the words after it are not, so the message is
 * looked at only to tell apart the few kinds that hold several codes (a binder error is a missing
 * column or a type error or bad SQL).
 */
public final class EngineErrors {
  /** The kind, after any Java exception names the driver or a wrapper put in front of it. */
  private static final Pattern KIND = Pattern.compile("^(?:[\\w.$]+(?:Exception|Error): )*([A-Za-z][A-Za-z ]*?) Error: ");

  private static final Map<String, ErrorCode> BY_KIND = Map.ofEntries(
      Map.entry("parser", ErrorCode.INVALID_SQL),
      Map.entry("syntax", ErrorCode.INVALID_SQL),
      Map.entry("binder", ErrorCode.INVALID_SQL),
      Map.entry("catalog", ErrorCode.INVALID_SQL),
      Map.entry("planner", ErrorCode.INVALID_SQL),
      Map.entry("expression", ErrorCode.INVALID_SQL),
      Map.entry("dependency", ErrorCode.INVALID_SQL),
      Map.entry("sequence", ErrorCode.INVALID_SQL),
      Map.entry("parameter not resolved", ErrorCode.INVALID_SQL),
      Map.entry("parameter not allowed", ErrorCode.INVALID_SQL),
      Map.entry("mismatch type", ErrorCode.TYPE_MISMATCH),
      Map.entry("unknown type", ErrorCode.TYPE_MISMATCH),
      Map.entry("invalid type", ErrorCode.TYPE_MISMATCH),
      Map.entry("conversion", ErrorCode.INVALID_VALUE),
      Map.entry("out of range", ErrorCode.INVALID_VALUE),
      Map.entry("divide by zero", ErrorCode.INVALID_VALUE),
      Map.entry("decimal", ErrorCode.INVALID_VALUE),
      Map.entry("invalid input", ErrorCode.INVALID_ARGUMENT),
      Map.entry("settings", ErrorCode.INVALID_SETTING),
      Map.entry("invalid configuration", ErrorCode.INVALID_SETTING),
      Map.entry("not implemented", ErrorCode.NOT_SUPPORTED),
      Map.entry("missing extension", ErrorCode.NOT_SUPPORTED),
      Map.entry("extension autoloading", ErrorCode.NOT_SUPPORTED),
      Map.entry("permission", ErrorCode.NOT_ALLOWED),
      Map.entry("constraint", ErrorCode.CONSTRAINT_VIOLATED),
      Map.entry("transactioncontext", ErrorCode.COMMIT_CONFLICT),
      Map.entry("io", ErrorCode.STORAGE_UNAVAILABLE),
      Map.entry("http", ErrorCode.STORAGE_UNAVAILABLE),
      Map.entry("network", ErrorCode.STORAGE_UNAVAILABLE),
      Map.entry("data corruption", ErrorCode.CORRUPT_FILE),
      Map.entry("out of memory", ErrorCode.MEMORY_LIMIT),
      Map.entry("object size", ErrorCode.MEMORY_LIMIT),
      Map.entry("interrupt", ErrorCode.CANCELLED));

  private EngineErrors() {}

  /** The code of an engine error message; {@link ErrorCode#INTERNAL} when it names no kind we know. */
  public static ErrorCode code(String message) {
    if (message == null) {
      return ErrorCode.INTERNAL;
    }
    Matcher m = KIND.matcher(message.strip());
    if (!m.find()) {
      return ErrorCode.INTERNAL;
    }
    String kind = m.group(1).toLowerCase(Locale.ROOT);
    String rest = message.substring(m.end()).toLowerCase(Locale.ROOT);
    ErrorCode code = BY_KIND.getOrDefault(kind, ErrorCode.INTERNAL);
    return switch (code) {
      case INVALID_SQL -> kind.equals("binder") || kind.equals("catalog") ? refine(rest) : code;
      case CONSTRAINT_VIOLATED -> rest.contains("not null constraint") ? ErrorCode.NOT_NULL_VIOLATED : code;
      case STORAGE_UNAVAILABLE -> missing(rest) ? ErrorCode.OBJECT_NOT_FOUND
          : rest.contains("permission denied") ? ErrorCode.STORAGE_ACCESS_DENIED : code;
      default -> code;
    };
  }

  /**
   * The code of an engine error about a file a query reads: the file is damaged, cut short or not
   * what it claims ({@link ErrorCode#CORRUPT_FILE}), unless the query was cancelled, ran out of
   * memory or was refused the file.
   */
  public static ErrorCode unreadableFile(Throwable e) {
    ErrorCode code = QueryException.codeOf(e);
    return switch (code.category()) {
      case CANCELLED, RESOURCE_LIMIT -> code;
      default -> code == ErrorCode.STORAGE_ACCESS_DENIED || code == ErrorCode.NOT_ALLOWED ? code : ErrorCode.CORRUPT_FILE;
    };
  }

  /** A binder's or catalog's complaint: a name that is not there, or types that do not go together. */
  private static ErrorCode refine(String rest) {
    if (rest.startsWith("referenced column") || rest.contains("does not have a column named")
        || rest.startsWith("column ") && rest.contains("not found")) {
      return ErrorCode.COLUMN_NOT_FOUND;
    }
    if (rest.startsWith("table with name") || rest.startsWith("table ") && rest.contains("does not exist")) {
      return ErrorCode.TABLE_NOT_FOUND;
    }
    if (rest.startsWith("schema with name") || rest.startsWith("catalog with name")) {
      return ErrorCode.DATABASE_NOT_FOUND;
    }
    if (rest.startsWith("no function matches") || rest.startsWith("cannot compare values")
        || rest.startsWith("cannot mix values") || rest.contains("no function matches the given name and argument types")) {
      return ErrorCode.TYPE_MISMATCH;
    }
    return ErrorCode.INVALID_SQL;
  }

  private static boolean missing(String rest) {
    return rest.contains("no files found") || rest.contains("no such file") || rest.contains("does not exist")
        || rest.contains("not found");
  }
}
