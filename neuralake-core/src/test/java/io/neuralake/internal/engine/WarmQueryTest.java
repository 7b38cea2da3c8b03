package io.neuralake.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.query.Query;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm queries reuse what the engine worked out before (parse trees, the columns of file
 * versions), but never across a change: a file rewritten in place is read as it is now.
 */
class WarmQueryTest {
  @TempDir
  Path dir;
  private LakeRuntime runtime;
  private Catalog catalog;
  private final DuckDb duck = new DuckDb();

  @BeforeEach
  void lake() throws Exception {
    Files.createDirectories(dir.resolve("t"));
    write("SELECT 1::BIGINT AS a");
    runtime = LakeRuntime.builder().root(dir.toString()).cacheFolder(dir.resolve("cache")).build();
    catalog = Catalog.builder("c").runtime(runtime).database("db", ParquetTable.builder("t", "t").build()).build();
  }

  @AfterEach
  void close() {
    runtime.close();
    duck.close();
  }

  private void write(String select) throws Exception {
    Path file = dir.resolve("t/part-0.parquet");
    duck.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
    // a rewrite within the same second must still be seen: the time is not all that identifies a version
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
  }

  private List<Map<String, Object>> rows(String sql) {
    try (DataFrame df = catalog.sql(sql).collect()) {
      return df.rows();
    }
  }

  @Test
  void aFileRewrittenInPlaceIsReadAsItIsNow() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(rows("SELECT * FROM db.t")).containsExactly(Map.of("a", 1L));
    }
    write("SELECT 2::BIGINT AS a, 'two' AS b");
    assertThat(rows("SELECT * FROM db.t")).containsExactly(Map.of("a", 2L, "b", "two"));
  }

  @Test
  void aPreparedQueryRunsAgainAndItsSqlStillNamesItsScans() throws Exception {
    try (Query q = catalog.prepare("SELECT a + 1 AS b FROM db.t")) {
      assertThat(q.schema().names()).containsExactly("b");
      for (int i = 0; i < 2; i++) {
        try (var reader = q.open()) {
          assertThat(reader.loadNextBatch()).isTrue();
          assertThat(reader.getVectorSchemaRoot().getVector("b").getObject(0)).isEqualTo(2L);
        }
      }
      // what runs has the files inlined; what the query shows names the scan, not a cache path
      assertThat(q.sql()).contains("__nlk_scan_").doesNotContain("read_parquet");
    }
  }
}
