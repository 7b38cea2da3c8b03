package io.neuralake.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.Fixtures;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files whose columns differ are read by name; a declared schema casts, fills and drops. */
class SchemaEvolutionTest {
  @TempDir static Path dir;
  static Catalog catalog;

  @BeforeAll
  static void setUp() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("t/day=1"));
    java.nio.file.Files.createDirectories(dir.resolve("t/day=2"));
    try (DuckDb db = new DuckDb()) {
      db.execute("COPY (SELECT 1 AS id, 'a' AS name) TO '" + dir.resolve("t/day=1/f.parquet") + "' (FORMAT parquet)");
      // a later file: a new column, a column gone, a column order change, and its own copy of 'day'
      db.execute("COPY (SELECT 2.5 AS score, 2 AS id, 2 AS day) TO '" + dir.resolve("t/day=2/f.parquet") + "' (FORMAT parquet)");
    }
    catalog = Fixtures.catalog(dir, new CountingStore(),
        ParquetTable.builder("t", "t").partitioning(PartitioningScheme.HIVE, Partition.of("day", DataType.INT32)).build(),
        ParquetTable.builder("typed", "t").partitioning(PartitioningScheme.HIVE, Partition.of("day", DataType.INT32))
            .schema(Schema.of(Field.of("id", DataType.INT64), Field.of("name", DataType.STRING),
                Field.of("comment", DataType.STRING)))
            .build());
  }

  @Test
  void columnsAreMatchedByNameAndMissingOnesAreNull() {
    try (DataFrame df = catalog.db("db").table("t").sort("id").collect()) {
      assertThat(df.columnNames()).containsExactlyInAnyOrder("id", "name", "score", "day");
      assertThat(df.column("id")).containsExactly(1, 2);
      assertThat(df.column("name")).containsExactly("a", null);
      assertThat(df.column("score")).containsExactly(null, new java.math.BigDecimal("2.5"));
      assertThat(df.column("day")).containsExactly(1, 2);
    }
  }

  @Test
  void aDeclaredSchemaCastsFillsAndDrops() {
    Frame typed = catalog.db("db").table("typed");
    assertThat(typed.schema().names()).containsExactly("id", "name", "comment", "day");
    assertThat(typed.schema().field("id").type()).isEqualTo(DataType.INT64);
    try (DataFrame df = typed.sort("id").collect()) {
      assertThat(df.column("id")).containsExactly(1L, 2L);
      assertThat(df.column("comment")).containsExactly(null, null);
      java.util.Map<String, Object> expected = new java.util.HashMap<>();
      expected.put("id", 2L);
      expected.put("name", null);
      expected.put("comment", null);
      expected.put("day", 2);
      assertThat(df.rows().get(1)).containsExactlyInAnyOrderEntriesOf(expected);
    }
  }

  @Test
  void partitionValuesComeFromThePathNotTheFile() {
    try (DataFrame df = catalog.db("db").table("t").filter(Expr.col("day").eq(2)).collect()) {
      assertThat(df.rowCount()).isEqualTo(1);
    }
  }
}
