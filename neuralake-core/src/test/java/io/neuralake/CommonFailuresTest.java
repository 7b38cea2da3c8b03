package io.neuralake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.EngineOptions;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Expr;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.S3Options;
import io.neuralake.storage.Storage;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.table.ReadOptions;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.FaultyProxy;
import io.neuralake.testing.Fixtures;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The common failures, each through the API a user or a server calls, carry the code a front end
 * answers from (and their messages stay what they were: other tests check those).
 */
class CommonFailuresTest {
  @TempDir static Path dir;
  static Catalog catalog;

  @BeforeAll
  static void setUp() throws Exception {
    Fixtures.writeEvents(dir.resolve("events"));
    Files.createDirectories(dir.resolve("corrupt"));
    Files.writeString(dir.resolve("corrupt/part-0.parquet"), "this is not parquet");
    catalog = Fixtures.catalog(dir, new CountingStore(),
        ParquetTable.builder("events", "events").partitioning(PartitioningScheme.HIVE,
            Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING)).build(),
        ParquetTable.builder("missing", "no/such/folder").build(),
        ParquetTable.builder("corrupt", "corrupt").build());
  }

  private static ThrowingConsumer<Throwable> code(ErrorCode expected) {
    return e -> assertThat(ErrorCode.of(e)).as("the code of: " + e).isEqualTo(expected);
  }

  @Test
  void unknownNames() {
    assertThatThrownBy(() -> catalog.db("nope")).satisfies(code(ErrorCode.DATABASE_NOT_FOUND));
    assertThatThrownBy(() -> catalog.db("db").table("nope")).satisfies(code(ErrorCode.TABLE_NOT_FOUND));
    assertThatThrownBy(() -> catalog.sql("SELECT * FROM db.nope").collect()).satisfies(code(ErrorCode.TABLE_NOT_FOUND));
    assertThatThrownBy(() -> catalog.db("db").table("events", Filter.eq("nope", 1)).collect())
        .satisfies(code(ErrorCode.COLUMN_NOT_FOUND));
    assertThatThrownBy(() -> catalog.db("db").table("events").select("nope").collect())
        .satisfies(code(ErrorCode.COLUMN_NOT_FOUND));
    assertThatThrownBy(() -> catalog.db("db").table("events").filter(Expr.col("nope").gt(1)).collect())
        .satisfies(code(ErrorCode.COLUMN_NOT_FOUND));
    // the engine's binder finds this one
    assertThatThrownBy(() -> catalog.sql("SELECT nope FROM db.events").collect()).satisfies(code(ErrorCode.COLUMN_NOT_FOUND));
    assertThatThrownBy(() -> catalog.db("db").table("events").collect().column("nope")).satisfies(code(ErrorCode.COLUMN_NOT_FOUND));
  }

  @Test
  void badSql() {
    assertThatThrownBy(() -> catalog.sql("SELEC 1").collect()).satisfies(code(ErrorCode.INVALID_SQL));
    assertThatThrownBy(() -> catalog.sql("SELECT 1; SELECT 2").collect()).satisfies(code(ErrorCode.INVALID_SQL));
    assertThatThrownBy(() -> catalog.sql("DROP TABLE db.events").collect()).satisfies(code(ErrorCode.NOT_ALLOWED));
    assertThatThrownBy(() -> catalog.sql("SELECT CAST('abc' AS INTEGER)").collect()).satisfies(code(ErrorCode.INVALID_VALUE));
    assertThatThrownBy(() -> catalog.sql("SELECT lower(x) FROM db.events").collect()).satisfies(code(ErrorCode.TYPE_MISMATCH));
    assertThatThrownBy(() -> catalog.sql("SELECT no_such_function(x) FROM db.events").collect())
        .satisfies(code(ErrorCode.INVALID_SQL));
    assertThatThrownBy(() -> catalog.sql("SELECT * FROM db.events AT (VERSION => 1)").collect())
        .satisfies(code(ErrorCode.NOT_SUPPORTED));
    assertThatThrownBy(() -> catalog.db("db").table("events", ReadOptions.builder().version(1).build()))
        .satisfies(code(ErrorCode.NOT_SUPPORTED));
  }

  @Test
  void badFilters() {
    assertThatThrownBy(() -> Filter.parse("x >> 3")).satisfies(code(ErrorCode.INVALID_FILTER));
    assertThatThrownBy(() -> Filter.parse("x in [1, 2")).satisfies(code(ErrorCode.INVALID_FILTER));
    assertThatThrownBy(() -> Filter.of("x", "~=", 1)).satisfies(code(ErrorCode.INVALID_FILTER));
    assertThatThrownBy(() -> Filter.eq("x", java.util.List.of(1, 2))).satisfies(code(ErrorCode.INVALID_FILTER));
    assertThatThrownBy(() -> catalog.db("db").table("events", Filter.eq("implant_id", "4595")).collect())
        .satisfies(code(ErrorCode.TYPE_MISMATCH));
    assertThatThrownBy(() -> catalog.db("db").table("events", Filter.includes("x", 1)).collect())
        .satisfies(code(ErrorCode.INVALID_FILTER));
  }

  @Test
  void invalidSetting() {
    System.setProperty("neuralake.threads", "many");
    try {
      assertThatThrownBy(EngineOptions::fromEnvironment).satisfies(code(ErrorCode.INVALID_SETTING))
          .satisfies(e -> assertThat(ErrorCategory.of(e).exitCode()).isEqualTo(2));
    } finally {
      System.clearProperty("neuralake.threads");
    }
    assertThatThrownBy(() -> Location.parse("ftp://host/x")).satisfies(code(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void damagedAndMissingData() {
    assertThatThrownBy(() -> catalog.db("db").table("corrupt").collect()).satisfies(code(ErrorCode.CORRUPT_FILE))
        .hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> catalog.db("db").table("missing").collect()).satisfies(code(ErrorCode.OBJECT_NOT_FOUND))
        .hasMessageContaining("no Parquet files at");
  }

  private static FileCache cache(String name) {
    return new FileCache(dir.resolve(name), 1L << 30, Duration.ZERO);
  }

  private static Catalog s3Catalog(S3Options options, String location, String cache) {
    return Catalog.builder("s3").storage(Storage.builder().s3(options).cache(cache(cache)).build())
        .database("db", ParquetTable.builder("t", location).build()).build();
  }

  @Test
  void missingS3ObjectsAndBuckets() throws Exception {
    String bucket = LocalS3.newBucket();
    try (S3ObjectStore store = LocalS3.store(dir.resolve("c1"))) {
      assertThatThrownBy(() -> store.get(Location.parse("s3://" + bucket + "/missing.parquet")))
          .satisfies(code(ErrorCode.OBJECT_NOT_FOUND));
      assertThatThrownBy(() -> store.list(Location.parse("s3://no-such-bucket-x/t/"))).satisfies(code(ErrorCode.BUCKET_NOT_FOUND));
    }
    assertThatThrownBy(() -> s3Catalog(LocalS3.options(), "s3://" + bucket + "/nothing/here", "c2").db("db").table("t").collect())
        .satisfies(code(ErrorCode.OBJECT_NOT_FOUND));
    S3Options wrong = LocalS3.options().toBuilder().credentials(LocalS3.ACCESS_KEY, "not-the-secret").maxAttempts(1).build();
    assertThatThrownBy(() -> s3Catalog(wrong, "s3://" + bucket + "/t", "c3").db("db").table("t").collect())
        .satisfies(code(ErrorCode.STORAGE_ACCESS_DENIED));
  }

  @Test
  void unreachableS3() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    S3Options nowhere = LocalS3.options().toBuilder().endpoint("http://127.0.0.1:" + closedPort).maxAttempts(1).build();
    assertThatThrownBy(() -> s3Catalog(nowhere, "s3://b/t", "c4").db("db").table("t").collect())
        .satisfies(code(ErrorCode.STORAGE_UNAVAILABLE))
        .satisfies(e -> assertThat(ErrorCategory.of(e).httpStatus()).isEqualTo(503));
    try (FaultyProxy failing = FaultyProxy.answering("503 Slow Down", "SlowDown")) {
      S3Options throttled = LocalS3.options().toBuilder().endpoint(failing.endpoint()).maxAttempts(2).build();
      assertThatThrownBy(() -> s3Catalog(throttled, "s3://b/t", "c5").db("db").table("t").collect())
          .satisfies(code(ErrorCode.STORAGE_UNAVAILABLE));
    }
  }
}
