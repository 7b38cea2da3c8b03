package io.neuralake.cli;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.sample.SampleLake;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCatalogTest {
  @TempDir static Path lake;
  static Catalog catalog;

  @BeforeAll
  static void setUp() {
    SampleLake.create(lake);
    System.setProperty("neuralake.lake.root", lake.toString());
    catalog = CatalogLoader.fromSource(Path.of("../examples/demo"));
  }

  @AfterAll
  static void tearDown() {
    System.clearProperty("neuralake.lake.root");
  }

  @Test
  void seedQueryJoinsParquetWithFunctionTable() {
    Frame parts = catalog.db("tpch").table("part");
    try (DataFrame df = parts.join(catalog.db("tpch").table("supplier"), "p_partkey", "s_suppkey")
        .filter(col("p_retailprice").gt(20.0))
        .select("p_name", "s_name")
        .sort("s_name")
        .collect()) {
      System.out.println(df);
      assertThat(df.rowCount()).isEqualTo(8);
      assertThat(df.columnNames()).containsExactly("p_name", "s_name");
      assertThat(df.toString()).startsWith("shape: (8, 2)");
    }
  }
}
