package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vacuum on tables Spark wrote with deletion vectors: the DV files of live files always stay, a DV
 * superseded by a later DELETE stays while older versions inside the retention need it, and a DV
 * file no version names stays until it is an hour old; Spark and we read the same rows afterwards.
 */
class DeltaVacuumDeletionVectorsTest {
  @TempDir static Path dir;

  /** Background checkpoints finish before the temporary folder is deleted. */
  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static LakeContext context() {
    return new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
  }

  private static VacuumOptions retention(Duration retention) {
    return VacuumOptions.builder().retention(retention).retentionCheck(false).build();
  }

  private static DeltaTable table(String location) {
    return DeltaTable.builder("t", location).build();
  }

  private static List<String> ours(String location, ReadOptions options) {
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table(location)).build();
    try (DataFrame df = c.db("db").table("t", options).collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  private static List<String> spark(String table, String versionAsOf) {
    return SparkDelta.rows("SELECT * FROM delta.`" + path(table) + "`" + versionAsOf);
  }

  /** Spark's table with deletion vectors on, one data file per range given. */
  private static void sparkTable(String table, long... rangeBounds) {
    SparkDelta.sql("CREATE TABLE delta.`" + path(table) + "` (id BIGINT, v STRING) USING delta"
        + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    for (int i = 0; i + 1 < rangeBounds.length; i++) {
      SparkDelta.sql("INSERT INTO delta.`" + path(table) + "` SELECT id, concat('v', id) FROM range("
          + rangeBounds[i] + ", " + rangeBounds[i + 1] + ", 1, 1)");
    }
  }

  private static Set<Path> files(String table, String prefix) throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(table))) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).collect(Collectors.toSet());
    }
  }

  private static Path age(Path file, Duration age) throws Exception {
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - age.toMillis()));
    return file;
  }

  /** A deletion-vector file no commit names, as a writer that has not committed yet leaves it. */
  private static Path uncommittedDeletionVector(String table, Path like, Duration age) throws Exception {
    Path file = dir.resolve(table).resolve("deletion_vector_" + UUID.randomUUID() + ".bin");
    Files.copy(like, file);
    return age(file, age);
  }

  /** The table's path has a space and a plus: DV paths are built from it and must still match the listing. */
  @Test
  void theDeletionVectorsOfLiveFilesSurviveARetentionOfZero() throws Exception {
    sparkTable("live dv+1", 0, 500, 1000);
    SparkDelta.sql("DELETE FROM delta.`" + path("live dv+1") + "` WHERE id % 3 = 0");
    Set<Path> deletionVectors = files("live dv+1", "deletion_vector_");
    assertThat(deletionVectors).as("Spark wrote the DELETE as deletion vectors").isNotEmpty();
    for (Path dv : deletionVectors) {
      age(dv, Duration.ofDays(30)); // old enough for every age protection: only being live keeps them
    }
    List<String> before = spark("live dv+1", "");
    assertThat(before).hasSize(666);

    VacuumResult result = table("live dv+1").vacuum().context(context()).options(retention(Duration.ZERO)).run();

    assertThat(result.deleted()).as("every data file and DV is live").isEmpty();
    assertThat(deletionVectors).allMatch(Files::exists);
    assertThat(ours("live dv+1", ReadOptions.none())).isEqualTo(before);
    assertThat(spark("live dv+1", "")).as("Spark after our vacuum").isEqualTo(before);
  }

  @Test
  void aSupersededDeletionVectorStaysInsideTheRetentionAndGoesAfterIt() throws Exception {
    sparkTable("superseded", 0, 1000); // version 1: one data file
    SparkDelta.sql("DELETE FROM delta.`" + path("superseded") + "` WHERE id % 3 = 0"); // version 2
    Set<Path> first = files("superseded", "deletion_vector_");
    assertThat(first).hasSize(1);
    Path oldDv = first.iterator().next();
    SparkDelta.sql("DELETE FROM delta.`" + path("superseded") + "` WHERE id % 5 = 0"); // version 3: the file's new DV
    Set<Path> second = files("superseded", "deletion_vector_");
    second.removeAll(first);
    assertThat(second).as("the second DELETE gives the same file a new DV").hasSize(1);
    Path newDv = second.iterator().next();
    Set<Path> dataFiles = files("superseded", "part-");
    assertThat(dataFiles).hasSize(1);
    age(oldDv, Duration.ofDays(2));
    age(newDv, Duration.ofDays(2));
    Path writing = uncommittedDeletionVector("superseded", newDv, Duration.ofMinutes(59));
    Path abandoned = uncommittedDeletionVector("superseded", newDv, Duration.ofHours(2));
    List<String> latest = spark("superseded", "");
    List<String> version2 = spark("superseded", " VERSION AS OF 2");
    assertThat(latest).hasSize(1000 - 334 - 133);
    assertThat(version2).hasSize(1000 - 334);

    // Removed seconds ago: inside a day's retention, whatever the file's own age; version 2 still reads it.
    VacuumResult withinRetention = table("superseded")
        .vacuum().context(context()).options(retention(Duration.ofDays(1))).run();
    assertThat(withinRetention.deleted()).as("the orphans are younger than the retention").isEmpty();
    assertThat(oldDv).exists();
    assertThat(ours("superseded", ReadOptions.builder().version(2).build())).isEqualTo(version2);
    assertThat(spark("superseded", " VERSION AS OF 2")).isEqualTo(version2);

    VacuumResult zero = table("superseded").vacuum().context(context()).options(retention(Duration.ZERO)).run();

    assertThat(zero.deleted()).as("the removed DV and the DV no version names that is over an hour old")
        .containsExactlyInAnyOrder(oldDv.toString(), abandoned.toString());
    assertThat(oldDv).doesNotExist();
    assertThat(abandoned).doesNotExist();
    assertThat(newDv).as("the current snapshot's DV").exists();
    assertThat(writing).as("younger than an hour: a writer may be about to commit it").exists();
    assertThat(dataFiles).allMatch(Files::exists);
    assertThat(ours("superseded", ReadOptions.none())).isEqualTo(latest);
    assertThat(spark("superseded", "")).as("Spark after our vacuum").isEqualTo(latest);
  }
}
