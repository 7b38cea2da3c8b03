package io.neuralake.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.storage.LocalObjectStore;
import io.neuralake.storage.Location;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How planned files are split into Spark's input partitions. */
class FileGroupsTest {
  private static ScanPlan.Files plan(List<String> unique, long... sizes) {
    List<ScanPlan.DataFile> files = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      files.add(new ScanPlan.DataFile(Location.parse("/lake/t/part-" + i + ".parquet"), sizes[i], Optional.empty(),
          OptionalLong.empty(), Map.of(), Optional.empty()));
    }
    return new ScanPlan.Files(new LocalObjectStore(), files, List.of(), Optional.of(Schema.of(Field.of("a", DataType.INT64))),
        ScanPlan.ScanStats.of(""), Optional.empty(), Map.of(), unique);
  }

  private static List<Long> bytes(List<List<ScanPlan.DataFile>> groups) {
    return groups.stream().map(g -> g.stream().mapToLong(ScanPlan.DataFile::size).sum()).toList();
  }

  @Test
  void asManyGroupsAsCoresBalancedByBytes() {
    List<List<ScanPlan.DataFile>> groups = FileGroups.split(plan(List.of(), 100, 10, 60, 40, 50, 40), 2, 1_000);
    assertThat(groups).hasSize(2);
    assertThat(bytes(groups)).containsExactlyInAnyOrder(150L, 150L);
    assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(6);
  }

  @Test
  void moreGroupsWhenTheBytesPassTheLimitOfAGroup() {
    assertThat(FileGroups.split(plan(List.of(), 100, 100, 100, 100, 100), 2, 150)).hasSize(4);
  }

  @Test
  void neverMoreGroupsThanFilesNorAnyWhenThereAreNone() {
    assertThat(FileGroups.split(plan(List.of(), 5, 5), 8, 1_000)).hasSize(2).allMatch(g -> g.size() == 1);
    assertThat(FileGroups.split(plan(List.of()), 8, 1_000)).isEmpty();
  }

  @Test
  void aPlanKeepingOneRowPerKeyStaysWhole() {
    assertThat(FileGroups.split(plan(List.of("a"), 5, 5, 5), 8, 1_000)).hasSize(1).first().asList().hasSize(3);
  }

  @Test
  void filesKeepThePlansOrderWithinAGroup() {
    List<List<ScanPlan.DataFile>> groups = FileGroups.split(plan(List.of(), 1, 2, 3, 4), 1, 1_000);
    assertThat(groups.get(0).stream().map(f -> f.location().toString()).toList())
        .containsExactly("/lake/t/part-0.parquet", "/lake/t/part-1.parquet", "/lake/t/part-2.parquet",
            "/lake/t/part-3.parquet");
  }
}
