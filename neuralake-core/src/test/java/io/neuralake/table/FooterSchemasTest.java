package io.neuralake.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table without a declared schema is typed from its files' footers, read once per version of its files. */
class FooterSchemasTest {
  @TempDir Path dir;

  @Test
  void footersOfUnchangedFilesAreReadOnceAndARewrittenFileIsReadAgain() throws Exception {
    Path file = dir.resolve("t/part-0.parquet");
    Files.createDirectories(file.getParent());
    try (DuckDb db = new DuckDb()) {
      db.execute("COPY (SELECT 1 AS id) TO '" + file + "' (FORMAT parquet)");
    }
    CountingStore store = new CountingStore();
    Catalog catalog = Fixtures.catalog(dir, store, ParquetTable.builder("t", "t").build());

    assertThat(catalog.db("db").table("t").schema().names()).containsExactly("id");
    assertThat(store.localCopiesUsed).as("the first plan reads the footer").hasSize(1);

    store.reset();
    assertThat(catalog.sql("SELECT * FROM db.t").schema().names()).containsExactly("id");
    assertThat(store.localCopiesUsed).as("the same file again: its footer is not read again").isEmpty();

    try (DuckDb db = new DuckDb()) {
      db.execute("COPY (SELECT 2 AS id, 'two' AS name) TO '" + file + "' (FORMAT parquet)");
    }
    store.reset();
    assertThat(catalog.db("db").table("t").schema().names()).containsExactly("id", "name");
    assertThat(store.localCopiesUsed).as("a rewritten file is a new version: its footer is read").hasSize(1);
    assertThat(catalog.sql("SELECT name FROM db.t").count()).isEqualTo(1);
  }
}
