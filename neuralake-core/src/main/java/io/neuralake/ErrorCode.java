package io.neuralake;

import static java.util.Objects.requireNonNull;

import java.io.FileNotFoundException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.Set;

/**
 * The precise kind of an error: stable names clients may match on, each in one
 * {@link ErrorCategory} and with its SQLSTATE (the category's unless a more precise one exists).
 */
public enum ErrorCode {
  // bad input
  INVALID_ARGUMENT(ErrorCategory.BAD_INPUT, "22023"),
  INVALID_SETTING(ErrorCategory.BAD_INPUT, "22023"),
  INVALID_FILTER(ErrorCategory.BAD_INPUT, "42601"),
  INVALID_SQL(ErrorCategory.BAD_INPUT, "42601"),
  TYPE_MISMATCH(ErrorCategory.BAD_INPUT, "42804"),
  /** A value that cannot be converted or computed with: a failed cast, a number out of range, a division by zero. */
  INVALID_VALUE(ErrorCategory.BAD_INPUT, "22000"),
  /** Catalog or script code Neuralake cannot use as written: it does not compile, or declares a name twice. */
  INVALID_DEFINITION(ErrorCategory.BAD_INPUT, "42P17"),
  /** A feature that Neuralake, the engine or the table's format does not support (yet). */
  NOT_SUPPORTED(ErrorCategory.BAD_INPUT, "0A000"),
  /** A statement or function the engine's sandbox does not allow. */
  NOT_ALLOWED(ErrorCategory.BAD_INPUT, "42501"),
  // not found
  DATABASE_NOT_FOUND(ErrorCategory.NOT_FOUND, "3F000"),
  TABLE_NOT_FOUND(ErrorCategory.NOT_FOUND, "42P01"),
  COLUMN_NOT_FOUND(ErrorCategory.NOT_FOUND, "42703"),
  VERSION_NOT_FOUND(ErrorCategory.NOT_FOUND, "22023"),
  OBJECT_NOT_FOUND(ErrorCategory.NOT_FOUND, "58P01"),
  /** The bucket (or other container of objects) a location names does not exist. */
  BUCKET_NOT_FOUND(ErrorCategory.NOT_FOUND, "58P01"),
  // conflict
  COMMIT_CONFLICT(ErrorCategory.CONFLICT, "40001"),
  ALREADY_EXISTS(ErrorCategory.CONFLICT, "42P07"),
  // constraint violated
  SCHEMA_MISMATCH(ErrorCategory.CONSTRAINT_VIOLATED, "42804"),
  NOT_NULL_VIOLATED(ErrorCategory.CONSTRAINT_VIOLATED, "23502"),
  CONSTRAINT_VIOLATED(ErrorCategory.CONSTRAINT_VIOLATED, "23514"),
  // storage and other outside services
  STORAGE_UNAVAILABLE(ErrorCategory.STORAGE, "58030"),
  STORAGE_ACCESS_DENIED(ErrorCategory.STORAGE, "58030"),
  // corrupt data
  CORRUPT_FILE(ErrorCategory.CORRUPT_DATA, "XX001"),
  CORRUPT_LOG(ErrorCategory.CORRUPT_DATA, "XX001"),
  // limits
  ROW_LIMIT(ErrorCategory.RESOURCE_LIMIT, "54000"),
  /** Over its time limit; HTTP answers 504 (the server gave up waiting), not the category's 413. */
  TIME_LIMIT(ErrorCategory.RESOURCE_LIMIT, "57014", 504),
  MEMORY_LIMIT(ErrorCategory.RESOURCE_LIMIT, "53200"),
  REQUEST_TOO_LARGE(ErrorCategory.RESOURCE_LIMIT, "54000"),
  // authentication and permission
  /** No credentials were given, or not valid ones. */
  UNAUTHENTICATED(ErrorCategory.UNAUTHENTICATED, "28P01"),
  /** The caller may not read that database. */
  FORBIDDEN(ErrorCategory.FORBIDDEN, "42501"),
  /** Too many queries running and waiting. */
  OVERLOADED(ErrorCategory.OVERLOADED, "53300"),
  // cancelled
  CANCELLED(ErrorCategory.CANCELLED, "57014"),
  /** Work asked of a lake runtime (or its engine or stores) after it was closed. */
  RUNTIME_CLOSED(ErrorCategory.CANCELLED, "57P01"),
  // internal
  INTERNAL(ErrorCategory.INTERNAL, "XX000");

  private final ErrorCategory category;
  private final String sqlState;
  private final int httpStatus;

  ErrorCode(ErrorCategory category, String sqlState) {
    this(category, sqlState, category.httpStatus());
  }

  ErrorCode(ErrorCategory category, String sqlState, int httpStatus) {
    this.category = requireNonNull(category, "category");
    this.sqlState = requireNonNull(sqlState, "sqlState");
    this.httpStatus = httpStatus;
  }

  /** The HTTP status a server answers with: the category's, unless this code has a more precise one. */
  public int httpStatus() {
    return httpStatus;
  }

  public ErrorCategory category() {
    return category;
  }

  /** The SQLSTATE the PostgreSQL wire protocol and JDBC report. */
  public String sqlState() {
    return sqlState;
  }

  /**
   * The code of a failure: that of the first {@link CodedError} (a {@link NeuralakeException}, a
   * storage failure) among it and its causes. Failing that, the platform's own file errors say
   * what they are: a missing file is {@link #OBJECT_NOT_FOUND}, a refused one
   * {@link #STORAGE_ACCESS_DENIED}, an interrupted wait {@link #CANCELLED}. Anything else is
   * {@link #INTERNAL}.
   */
  public static ErrorCode of(Throwable failure) {
    ErrorCode fallback = INTERNAL;
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof CodedError c) {
        return c.code();
      }
      if (fallback == INTERNAL) {
        fallback = platformCode(t);
      }
    }
    return fallback;
  }

  private static ErrorCode platformCode(Throwable t) {
    if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
      return OBJECT_NOT_FOUND;
    }
    if (t instanceof AccessDeniedException) {
      return STORAGE_ACCESS_DENIED;
    }
    if (t instanceof InterruptedException || t instanceof ClosedByInterruptException) {
      return CANCELLED;
    }
    return INTERNAL;
  }
}
