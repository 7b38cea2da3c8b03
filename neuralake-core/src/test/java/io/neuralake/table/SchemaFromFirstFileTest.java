package io.neuralake.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.testing.CountingStore;
import io.neuralake.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema of a Parquet table without a declared one comes from its first file in name order,
 * found one folder level at a time: a handful of listings however many partition folders the
 * table has, not a listing of them all.
 */
class SchemaFromFirstFileTest {
  @TempDir Path lake;

  @Test
  void aLakeOfManyPartitionsIsTypedFromAFewListings() throws Exception {
    for (int implant = 1; implant <= 20; implant++) {
      for (int day = 1; day <= 10; day++) {
        Path folder = Files.createDirectories(lake.resolve("t/implant_id=" + implant + "/date=2024-05-" + String.format("%02d", day)));
        Map<String, List<?>> columns = new LinkedHashMap<>();
        columns.put("channel", List.of(1L, 2L));
        columns.put("v", List.of(0.5, 1.5));
        Frame.fromColumns(columns).writeParquet(folder.resolve("part-0.parquet"));
      }
    }
    // hidden folders and files sort first and are skipped
    Files.createDirectories(lake.resolve("t/_staging"));
    Files.writeString(lake.resolve("t/_SUCCESS"), "");

    CountingStore store = new CountingStore();
    Catalog catalog = Catalog.builder("c").root(lake.toString())
        .storage(Storage.builder().store(Location.FILE, store).build())
        .database("db", ParquetTable.builder("t", "t").partitioning(PartitioningScheme.HIVE,
            Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING)).build())
        .build();

    assertThat(catalog.db("db").definition("t").schema(catalog.context()).names())
        .containsExactly("channel", "v", "implant_id", "date");
    assertThat(store.foldersListed).as("the table's folder, then the first implant's, then its first day's")
        .hasSize(3).anyMatch(f -> f.endsWith("/t/implant_id=1/date=2024-05-01/"));
  }
}
