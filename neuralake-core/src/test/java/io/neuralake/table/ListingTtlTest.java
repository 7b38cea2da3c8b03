package io.neuralake.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.InvalidSettingException;
import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.sample.TpchData;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.Fixtures;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet folder listings are reused within their TTL, and listed again after it or on refresh. */
class ListingTtlTest {
  @TempDir static Path dir;
  static final CountingStore STORE = new CountingStore();
  static LakeRuntime runtime;
  static Catalog catalog;

  @BeforeAll
  static void setUp() {
    Fixtures.writeEvents(dir.resolve("events"));
    TpchData.writeTable("nation", dir.resolve("nation"), 0.01, 100);
    runtime = LakeRuntime.builder().store("file", STORE).root(dir.toString()).build();
    Partition implant = Partition.of("implant_id", DataType.INT64);
    Partition date = Partition.of("date", DataType.STRING);
    catalog = Catalog.builder("c").runtime(runtime).database("db",
        ParquetTable.builder("hour", "events").partitioning(PartitioningScheme.HIVE, implant, date)
            .listingTtl(Duration.ofHours(1)).build(),
        ParquetTable.builder("brief", "nation").listingTtl(Duration.ofMillis(100)).build(),
        ParquetTable.builder("always", "nation").build()).build();
  }

  @AfterAll
  static void tearDown() {
    runtime.close();
  }

  @BeforeEach
  void reset() {
    STORE.reset();
  }

  private static long rows(String table) {
    try (DataFrame df = catalog.sql("SELECT * FROM db." + table).collect()) {
      return df.rowCount();
    }
  }

  @Test
  void aSecondReadWithinTheTtlListsNothingAndSeesTheSameFiles() {
    long first = rows("hour");
    assertThat(STORE.foldersListed).as("the first read lists").isNotEmpty();
    STORE.reset();
    assertThat(rows("hour")).isEqualTo(first);
    assertThat(STORE.foldersListed).as("the second read, within the hour").isEmpty();
    assertThat(STORE.dataFilesOpened()).as("it still reads the files").isNotEmpty();
  }

  @Test
  void aReadAfterTheTtlListsAgain() throws Exception {
    rows("brief");
    Thread.sleep(150); // past the table's 100 ms
    STORE.reset();
    rows("brief");
    assertThat(STORE.foldersListed).containsExactly(dir.resolve("nation") + "/");
  }

  @Test
  void localFoldersWithoutATtlAreListedOnEveryRead() {
    rows("always");
    STORE.reset();
    rows("always");
    assertThat(STORE.foldersListed).containsExactly(dir.resolve("nation") + "/");
    assertThat(runtime.listingTtlFor(Location.parse(dir.toString()))).isZero();
    assertThat(runtime.listingTtlFor(Location.parse("s3://bucket/t"))).isEqualTo(LakeRuntime.DEFAULT_REMOTE_LISTING_TTL);
  }

  @Test
  void refreshForgetsListingsAndANewFileIsSeen() throws Exception {
    long before = rows("hour");
    Path day = dir.resolve("events/implant_id=4595/date=2024-04-27");
    Path extra = day.resolve("extra.parquet");
    try (var files = Files.list(day)) {
      Files.copy(files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(), extra);
    }
    try {
      assertThat(rows("hour")).as("within the TTL the listing is the old one").isEqualTo(before);
      runtime.refresh();
      STORE.reset();
      assertThat(rows("hour")).as("after a refresh the new file is read").isGreaterThan(before);
      assertThat(STORE.foldersListed).isNotEmpty();
    } finally {
      Files.delete(extra);
      runtime.refresh();
    }
  }

  @Test
  void theRuntimeSettingAppliesToTablesWithoutTheirOwn() {
    try (LakeRuntime hourly = LakeRuntime.builder().store("file", STORE).listingTtl(Duration.ofHours(1)).build()) {
      Catalog c = Catalog.builder("c").runtime(hourly).root(dir.toString())
          .database("db", ParquetTable.builder("always", "nation").build()).build();
      try (DataFrame df = c.sql("SELECT * FROM db.always").collect()) {
        assertThat(df.rowCount()).isEqualTo(25);
      }
      STORE.reset();
      try (DataFrame df = c.sql("SELECT * FROM db.always").collect()) {
        assertThat(df.rowCount()).isEqualTo(25);
      }
      assertThat(STORE.foldersListed).isEmpty();
    }
  }

  @Test
  void aWarmQueryOnS3WithinTheTtlMakesNoListRequest() throws Exception {
    String bucket = LocalS3.newBucket();
    try (LakeRuntime s3 = LakeRuntime.builder().s3(LocalS3.options()).cacheFolder(dir.resolve("cache"))
        .root("s3://" + bucket + "/").listingTtl(Duration.ofHours(1)).build()) {
      ObjectStore store = s3.storage().storeFor(Location.parse("s3://" + bucket + "/"));
      try (var files = Files.list(dir.resolve("nation"))) {
        for (Path f : files.toList()) {
          store.putFile(Location.parse("s3://" + bucket + "/nation/" + f.getFileName()), f);
        }
      }
      Catalog c = Catalog.builder("c").runtime(s3).database("db", ParquetTable.builder("nation", "nation").build()).build();
      try (DataFrame df = c.sql("SELECT * FROM db.nation").collect()) {
        assertThat(df.rowCount()).isEqualTo(25);
      }
      long lists = store.metrics().listCalls();
      long gets = store.metrics().gets();
      try (DataFrame df = c.sql("SELECT * FROM db.nation").collect()) {
        assertThat(df.rowCount()).isEqualTo(25);
      }
      assertThat(store.metrics().listCalls()).as("LISTs of the warm query").isEqualTo(lists);
      assertThat(store.metrics().gets()).as("GETs of the warm query (cached files)").isEqualTo(gets);
    }
  }

  @Test
  void aBadSettingNamesTheVariableAndAValidValue() {
    System.setProperty("neuralake.listing.ttl", "soon");
    try {
      assertThatThrownBy(() -> LakeRuntime.builder().build())
          .isInstanceOf(InvalidSettingException.class)
          .hasMessage("-Dneuralake.listing.ttl='soon' is not valid: write a duration of zero or more, a whole number with"
              + " a unit (ms, s, m, h), e.g. -Dneuralake.listing.ttl=10s");
      System.setProperty("neuralake.listing.ttl", "250ms");
      try (LakeRuntime r = LakeRuntime.builder().build()) {
        assertThat(r.listingTtl()).contains(Duration.ofMillis(250));
      }
    } finally {
      System.clearProperty("neuralake.listing.ttl");
    }
  }
}
