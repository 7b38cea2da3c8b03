package io.neuralake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.EngineOptions;
import io.neuralake.query.Query;
import io.neuralake.query.QueryLimits;
import io.neuralake.sample.SampleLake;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedCatalogTest {
  @TempDir static Path dir;
  static Path lake;

  @BeforeAll
  static void lake() {
    lake = dir.resolve("lake").toAbsolutePath();
    SampleLake.create(lake);
  }

  /** A catalog source whose tables live at absolute paths (outside the lake root of the environment). */
  private static Path catalogSource(String name, String builderExtras) throws Exception {
    Path src = Files.createDirectories(dir.resolve(name));
    Files.writeString(src.resolve("Served.java"), """
        import io.neuralake.catalog.Catalog;
        import io.neuralake.table.ParquetTable;
        import io.neuralake.table.Partition;
        import io.neuralake.table.PartitioningScheme;
        import io.neuralake.types.DataType;
        public final class Served {
          public static Catalog catalog() {
            return Catalog.builder("served")%s
                .database("bci", ParquetTable.builder("spikes", "%s")
                    .partitioning(PartitioningScheme.HIVE, Partition.of("implant_id", DataType.INT64),
                        Partition.of("date", DataType.STRING)).build())
                .database("tpch", ParquetTable.builder("part", "%s").build())
                .build();
          }
        }
        """.formatted(builderExtras, lake.resolve("spikes"), lake.resolve("parts.parquet")));
    return src;
  }

  @Test
  void theCatalogRunsInASandboxedRuntimeThatMayReadItsTablesFolders() throws Exception {
    try (ServedCatalog served = ServedCatalog.load(catalogSource("plain", "").toString())) {
      assertThat(served.catalog().context().runtime()).isSameAs(served.runtime());
      EngineOptions options = served.catalog().context().engine().options();
      assertThat(options.sandboxed()).isTrue();
      // the cache and the tables' folders (spikes, inside the folder of parts.parquet); not the working directory
      assertThat(options.allowedFolders()).containsExactly(
          served.runtime().storage().cache().dir().toAbsolutePath().normalize(), lake);
      assertThat(served.readableFolders()).isEqualTo(options.allowedFolders());
      try (Query q = served.catalog().prepare("SELECT count(*) AS n FROM bci.spikes WHERE implant_id = 4595");
          ArrowReader r = q.open(QueryLimits.none())) {
        assertThat(r.loadNextBatch()).isTrue();
        assertThat(r.getVectorSchemaRoot().getVector("n").getObject(0)).isEqualTo(6000L);
      }
      assertThatThrownBy(() -> served.catalog().prepare("SELECT * FROM read_csv('/etc/passwd')"))
          .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED));
    }
  }

  @Test
  void aCatalogWithARuntimeOfItsOwnIsRefused() throws Exception {
    Path src = catalogSource("own", ".runtime(io.neuralake.runtime.LakeRuntime.builder().build())");
    assertThatThrownBy(() -> ServedCatalog.load(src.toString()))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED))
        .hasMessageContaining("names a runtime or engine of its own")
        .hasMessageContaining("build the catalog without them");
  }
}
