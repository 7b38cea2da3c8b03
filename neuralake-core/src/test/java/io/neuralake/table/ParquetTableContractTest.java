package io.neuralake.table;

import static io.neuralake.frame.Expr.col;

import io.neuralake.frame.Frame;
import io.neuralake.testing.TableContract;
import io.neuralake.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The table contract for Parquet folders, hive-partitioned by {@code part}. */
class ParquetTableContractTest extends TableContract {
  @Override
  protected TableDefinition create(Path dir, String name) throws Exception {
    Map<Object, List<Map<String, Object>>> byPart = ROWS.stream().collect(Collectors.groupingBy(r -> r.get("part")));
    for (var e : byPart.entrySet()) {
      Path folder = dir.resolve(name).resolve("part=" + e.getKey());
      Files.createDirectories(folder);
      Frame.fromRows(e.getValue()).select("id", "v", "name").writeParquet(folder.resolve("data_0.parquet"));
    }
    return ParquetTable.builder(name, name).partitioning(PartitioningScheme.HIVE, Partition.of("part", DataType.STRING))
        .build();
  }

  @Override
  protected TableDefinition createEmpty(Path dir, String name) throws Exception {
    Files.createDirectories(dir.resolve(name));
    Frame.fromRows(ROWS).filter(col("id").lt(0L)).writeParquet(dir.resolve(name).resolve("data_0.parquet"));
    return ParquetTable.builder(name, name).build();
  }
}
