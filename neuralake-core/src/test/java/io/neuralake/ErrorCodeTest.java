package io.neuralake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.engine.QueryException;
import io.neuralake.internal.engine.EngineErrors;
import io.neuralake.storage.StorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one table from categories to exit status, HTTP status and SQLSTATE, and how a failure finds its code. */
class ErrorCodeTest {
  @Test
  void theTable() {
    Map<ErrorCategory, String> table = new EnumMap<>(ErrorCategory.class);
    for (ErrorCategory c : ErrorCategory.values()) {
      table.put(c, c.exitCode() + " " + c.httpStatus() + " " + c.sqlState());
    }
    assertThat(table).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry(ErrorCategory.BAD_INPUT, "2 400 22023"),
        Map.entry(ErrorCategory.NOT_FOUND, "3 404 42704"),
        Map.entry(ErrorCategory.CONFLICT, "4 409 40001"),
        Map.entry(ErrorCategory.CONSTRAINT_VIOLATED, "5 422 23000"),
        Map.entry(ErrorCategory.STORAGE, "6 503 58030"),
        Map.entry(ErrorCategory.CORRUPT_DATA, "7 500 XX001"),
        Map.entry(ErrorCategory.RESOURCE_LIMIT, "8 413 54000"),
        Map.entry(ErrorCategory.UNAUTHENTICATED, "9 401 28000"),
        Map.entry(ErrorCategory.FORBIDDEN, "10 403 42501"),
        Map.entry(ErrorCategory.OVERLOADED, "11 429 53300"),
        Map.entry(ErrorCategory.CANCELLED, "130 499 57014"),
        Map.entry(ErrorCategory.INTERNAL, "1 500 XX000")));
    // a script tells the kinds apart by the exit status alone; 0 is success
    assertThat(Arrays.stream(ErrorCategory.values()).mapToInt(ErrorCategory::exitCode).distinct().count())
        .isEqualTo(ErrorCategory.values().length);
    assertThat(Arrays.stream(ErrorCategory.values()).mapToInt(ErrorCategory::exitCode)).doesNotContain(0);
  }

  @Test
  void aCodeAnswersHttpWithItsCategorysStatusUnlessMorePrecise() {
    assertThat(ErrorCode.TABLE_NOT_FOUND.httpStatus()).isEqualTo(404);
    assertThat(ErrorCode.ROW_LIMIT.httpStatus()).isEqualTo(413);
    assertThat(ErrorCode.TIME_LIMIT.httpStatus()).isEqualTo(504);
    assertThat(ErrorCode.OVERLOADED.httpStatus()).isEqualTo(429);
  }

  @Test
  void everyCodeHasASqlStateAndIsSortedByCategory() {
    ErrorCategory previous = null;
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(code.sqlState()).as(code.name()).matches("[0-9A-Z]{5}");
      if (previous != null) {
        assertThat(code.category().ordinal()).as(code + " after a code of " + previous).isGreaterThanOrEqualTo(previous.ordinal());
      }
      previous = code.category();
    }
  }

  @Test
  void theFirstCodedFailureAmongTheCausesGivesTheCode() {
    NeuralakeException missing = new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "no table 't'");
    assertThat(ErrorCode.of(missing)).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
    assertThat(ErrorCode.of(new IllegalStateException("wrapped", new RuntimeException(missing))))
        .isEqualTo(ErrorCode.TABLE_NOT_FOUND);
    // the outermost code wins: a wrapper that chose one knows better than what it wraps
    assertThat(ErrorCode.of(new NeuralakeException(ErrorCode.CORRUPT_FILE, "damaged", missing))).isEqualTo(ErrorCode.CORRUPT_FILE);
    assertThat(ErrorCategory.of(missing)).isEqualTo(ErrorCategory.NOT_FOUND);
    assertThat(ErrorCode.of(new IllegalStateException("a defect"))).isEqualTo(ErrorCode.INTERNAL);
    assertThat(ErrorCode.of(null)).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void aCheckedStorageFailureHasItsCodeThroughWrappers() {
    StorageException gone = new StorageException(ErrorCode.OBJECT_NOT_FOUND, "s3://b/k: no such object (404)", null);
    assertThat(gone.notFound()).isTrue();
    assertThat(ErrorCode.of(new UncheckedIOException(new IOException("fetching s3://b/k failed", gone))))
        .isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
    assertThat(ErrorCode.of(new StorageException("reading s3://b/k failed after 3 attempts", null)))
        .isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
    assertThat(new StorageException(ErrorCode.BUCKET_NOT_FOUND, "no bucket", null).notFound()).isFalse();
    assertThatThrownBy(() -> new StorageException(ErrorCode.INVALID_SQL, "x", null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void platformFileErrorsWithoutACodeSayWhatTheyAre() {
    assertThat(ErrorCode.of(new UncheckedIOException(new NoSuchFileException("/lake/t/part-0.parquet"))))
        .isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
    assertThat(ErrorCode.of(new FileNotFoundException("no Parquet files at /lake/t"))).isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
    assertThat(ErrorCode.of(new UncheckedIOException(new AccessDeniedException("/lake/t")))).isEqualTo(ErrorCode.STORAGE_ACCESS_DENIED);
    assertThat(ErrorCode.of(new IOException("interrupted", new InterruptedException()))).isEqualTo(ErrorCode.CANCELLED);
    // a code anywhere in the chain wins over a platform error above it
    FileNotFoundException above = new FileNotFoundException("x");
    above.initCause(new NeuralakeException(ErrorCode.CORRUPT_LOG, "log"));
    assertThat(ErrorCode.of(above)).isEqualTo(ErrorCode.CORRUPT_LOG);
  }

  @Test
  void aCycleOfCausesEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(ErrorCode.of(a)).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void aWrapperKeepsTheCodeOfWhatItWraps() {
    NeuralakeException inner = new InvalidSettingException("NEURALAKE_THREADS", "many", "a number", "NEURALAKE_THREADS=4");
    assertThat(inner.code()).isEqualTo(ErrorCode.INVALID_SETTING);
    NeuralakeException outer = NeuralakeException.of("function table 'f' failed: " + inner.getMessage(), inner);
    assertThat(outer.code()).isEqualTo(ErrorCode.INVALID_SETTING);
    assertThat(NeuralakeException.of("failed", new IllegalStateException()).code()).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void engineErrorsByTheirKind() {
    assertThat(EngineErrors.code("Parser Error: syntax error at or near \"SELEC\"")).isEqualTo(ErrorCode.INVALID_SQL);
    assertThat(EngineErrors.code("java.sql.SQLException: Binder Error: Referenced column \"nope\" not found in FROM clause!"))
        .isEqualTo(ErrorCode.COLUMN_NOT_FOUND);
    assertThat(EngineErrors.code("Binder Error: No function matches the given name and argument types 'lower(INTEGER)'."))
        .isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(EngineErrors.code("Catalog Error: Table with name nope does not exist!")).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
    assertThat(EngineErrors.code("Catalog Error: Scalar Function with name nope does not exist!")).isEqualTo(ErrorCode.INVALID_SQL);
    assertThat(EngineErrors.code("Conversion Error: Could not convert string 'abc' to INT32")).isEqualTo(ErrorCode.INVALID_VALUE);
    assertThat(EngineErrors.code("Constraint Error: NOT NULL constraint failed: t.x")).isEqualTo(ErrorCode.NOT_NULL_VIOLATED);
    assertThat(EngineErrors.code("IO Error: No files found that match the pattern \"/x/*.parquet\"")).isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
    assertThat(EngineErrors.code("IO Error: Could not write file \"/x\": No space left on device"))
        .isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
    assertThat(EngineErrors.code("Out of Memory Error: failed to allocate data of size 1.0 GiB (900 MiB/1.0 GiB used)"))
        .isEqualTo(ErrorCode.MEMORY_LIMIT);
    assertThat(EngineErrors.code("INTERRUPT Error: Interrupted!")).isEqualTo(ErrorCode.CANCELLED);
    assertThat(EngineErrors.code("Permission Error: File system LocalFileSystem has been disabled by configuration"))
        .isEqualTo(ErrorCode.NOT_ALLOWED);
    assertThat(EngineErrors.code("INTERNAL Error: Attempted to access index 3 within vector of size 3")).isEqualTo(ErrorCode.INTERNAL);
    assertThat(EngineErrors.code("something else entirely")).isEqualTo(ErrorCode.INTERNAL);
    assertThat(EngineErrors.code(null)).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void aQueryExceptionTakesItsCodeFromTheEngineOrFromTheFailureUnderIt() {
    assertThat(QueryException.of("query failed", new SQLException("Parser Error: syntax error at end of input")).code())
        .isEqualTo(ErrorCode.INVALID_SQL);
    StorageException outage = new StorageException("reading s3://b/k: nothing accepts connections", null);
    assertThat(new QueryException("query failed: reading s3://b/k", new RuntimeException(outage)).code())
        .isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
    assertThat(new QueryException("query failed", new SQLException("what")).code()).isEqualTo(ErrorCode.INTERNAL);
  }
}
