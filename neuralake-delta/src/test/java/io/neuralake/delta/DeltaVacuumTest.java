package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vacuum's retention floor (the table's deletedFileRetentionDuration) and its protection of files not yet committed. */
class DeltaVacuumTest {
  @TempDir Path dir;

  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private LakeContext context() {
    return new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
  }

  private static DeltaTable table(String... properties) {
    DeltaTable.Builder b = DeltaTable.builder("events", "events").schema(DeltaStreamingAndMaintenanceTest.EVENTS)
        .partitionedBy("region");
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return b.build();
  }

  /** Three appends then a compaction: version 4 has one file, versions 1-3 need the three compacted away. */
  private DeltaTable compacted(LakeContext ctx, String... properties) {
    DeltaTable table = table(properties);
    table.create(ctx);
    for (int i = 0; i < 3; i++) {
      table.append(Frame.fromRows(DeltaStreamingAndMaintenanceTest.rows(i * 10L, i * 10L + 10, "eu"))).context(ctx).commit();
    }
    table.optimize().context(ctx).run();
    return table;
  }

  private long countAt(DeltaTable table, long version) {
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    return c.db("db").table("events", ReadOptions.builder().version(version).build()).count();
  }

  /** A data file no commit references, as a writer that has not committed yet leaves it, last modified {@code age} ago. */
  private Path uncommitted(String name, Duration age) throws Exception {
    Path source;
    try (Stream<Path> files = Files.list(dir.resolve("events/region=eu"))) {
      source = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Path file = dir.resolve("events/region=eu/" + name);
    Files.copy(source, file);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - age.toMillis()));
    return file;
  }

  @Test
  void aRetentionBelowTheTablesSettingIsRefusedAndOlderVersionsStayReadable() {
    LakeContext ctx = context();
    DeltaTable table = compacted(ctx);
    for (Duration tooShort : List.of(Duration.ZERO, Duration.ofHours(1), Duration.ofDays(7).minusSeconds(1))) {
      assertThatThrownBy(() -> table.vacuum().context(ctx).retention(tooShort).run())
          .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessageContaining("table 'events'")
          .hasMessageContaining("delta.deletedFileRetentionDuration")
          .hasMessageContaining("at least 168 hours (7 days)")
          .hasMessageContaining("retentionCheck(false)")
          .hasMessageContaining("--force");
    }
    assertThatThrownBy(() -> table.vacuum().context(ctx).retention(Duration.ZERO).dryRun(true).run()).as("a dry run is checked too")
        .hasMessageContaining("a vacuum retention of 0 hours");
    assertThat(table.vacuum().context(ctx).retention(Duration.ofDays(7)).run().deleted()).isEmpty();
    assertThat(table.vacuum().context(ctx).options(VacuumOptions.defaults()).run().deleted()).as("the table's own retention").isEmpty();
    assertThat(countAt(table, 1)).as("version 1 still has its file").isEqualTo(10);
  }

  @Test
  void aNegativeRetentionIsRefusedEvenWithTheCheckOff() {
    LakeContext ctx = context();
    DeltaTable table = compacted(ctx);
    assertThatThrownBy(() -> table.vacuum().context(ctx).options(VacuumOptions.builder().retention(Duration.ofHours(-5))
        .retentionCheck(false).build()).run())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("must not be negative").hasMessageContaining("PT-5H");
    assertThatThrownBy(() -> table.vacuum().context(ctx).retention(Duration.ofHours(-5)).dryRun(true).run()).hasMessageContaining("must not be negative");
    assertThat(countAt(table, 1)).isEqualTo(10);
  }

  @Test
  void theTablesOwnSettingIsTheFloorInDeltasIntervalSyntax() {
    LakeContext ctx = context();
    DeltaTable table = compacted(ctx, "delta.deletedFileRetentionDuration", "interval 1 hours");
    assertThatThrownBy(() -> table.vacuum().context(ctx).retention(Duration.ofMinutes(59)).dryRun(true).run())
        .hasMessageContaining("interval 1 hours").hasMessageContaining("1 hour");
    assertThat(table.vacuum().context(ctx).retention(Duration.ofHours(1)).dryRun(true).run().deleted()).as("removed seconds ago: inside the window").isEmpty();
  }

  @Test
  void withTheCheckOffRemovedFilesGoButAnUncommittedFileYoungerThanAnHourStays() throws Exception {
    LakeContext ctx = context();
    DeltaTable table = compacted(ctx);
    Path inFlight = uncommitted("part-in-flight.parquet", Duration.ofSeconds(1));
    Path justUnderAnHour = uncommitted("part-writing-slowly.parquet", Duration.ofMinutes(59));
    Path crashed = uncommitted("part-from-a-crashed-writer.parquet", Duration.ofHours(2));
    VacuumOptions zero = VacuumOptions.builder().retention(Duration.ZERO).retentionCheck(false).dryRun(true).build();

    VacuumResult dry = table.vacuum().context(ctx).options(zero).run();
    assertThat(dry.deleted()).hasSize(4).contains(crashed.toString())
        .doesNotContain(inFlight.toString(), justUnderAnHour.toString());
    VacuumResult done = table.vacuum().context(ctx).options(VacuumOptions.builder().retention(Duration.ZERO).retentionCheck(false).build()).run();
    assertThat(done.deleted()).containsExactlyInAnyOrderElementsOf(dry.deleted());
    assertThat(inFlight).exists();
    assertThat(justUnderAnHour).exists();
    assertThat(crashed).doesNotExist();
    assertThat(countAt(table, 4)).isEqualTo(30);
  }

  /**
   * Log clean-up deletes commits older than delta.logRetentionDuration once a checkpoint covers
   * them; their removes then live only in the checkpoint. Vacuum must not take a file removed
   * inside the retention for one no commit names.
   */
  @Test
  void removesOnlyACheckpointHoldsAreNotMistakenForUnreferencedFiles() throws Exception {
    LakeContext ctx = context();
    DeltaTable table = compacted(ctx);                       // version 4 removed the files of versions 1-3
    table.append(Frame.fromRows(DeltaStreamingAndMaintenanceTest.rows(30, 40, "eu"))).context(ctx).commit();
    table.checkpoint(ctx);                                   // version 5
    DeltaWrites.awaitHooks();
    for (int v = 0; v < 5; v++) {                            // what log clean-up does with a short log retention
      Files.delete(dir.resolve("events/_delta_log/" + String.format("%020d.json", v)));
    }
    try (Stream<Path> files = Files.list(dir.resolve("events/region=eu"))) {
      for (Path f : files.toList()) {                        // written long ago, removed seconds ago
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - Duration.ofDays(3).toMillis()));
      }
    }
    long before;
    try (Stream<Path> files = Files.list(dir.resolve("events/region=eu"))) {
      before = files.count();
    }
    VacuumOptions oneDay = VacuumOptions.builder().retention(Duration.ofDays(1)).retentionCheck(false).build();
    assertThatThrownBy(() -> table.vacuum().context(ctx).options(oneDay).run())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("table 'events'")
        .hasMessageContaining("delta.logRetentionDuration");
    try (Stream<Path> files = Files.list(dir.resolve("events/region=eu"))) {
      assertThat(files.count()).as("nothing deleted").isEqualTo(before);
    }
  }
}
