package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint kinds, snapshot reuse, S3, and features a reader cannot serve. */
class DeltaReadMoreTest {
  @TempDir static Path dir;

  /** Background checkpoints finish before the temporary folder is deleted. */
  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static List<String> ours(Frame f) {
    try (DataFrame df = f.collect()) {
      return SparkDelta.Canonical.rows(df);
    }
  }

  private static List<String> spark(String table) {
    return SparkDelta.rows("SELECT * FROM delta.`" + path(table) + "`");
  }

  @BeforeAll
  static void writeTables() {
    SparkDelta.sql("CREATE TABLE delta.`" + path("v2") + "` (id BIGINT, p STRING) USING delta PARTITIONED BY (p)"
        + " TBLPROPERTIES ('delta.checkpointPolicy' = 'v2', 'delta.checkpointInterval' = '2')");
    SparkDelta.sql("CREATE TABLE delta.`" + path("multipart") + "` (id BIGINT, p STRING) USING delta PARTITIONED BY (p)"
        + " TBLPROPERTIES ('delta.checkpointInterval' = '2')");
    for (int i = 0; i < 4; i++) {
      SparkDelta.sql("INSERT INTO delta.`" + path("v2") + "` SELECT id, 'p" + (i % 2) + "' FROM range(" + (i * 10) + ", " + (i * 10 + 10) + ", 1, 1)");
      SparkDelta.session().conf().set("spark.databricks.delta.checkpoint.partSize", "2");
      SparkDelta.sql("INSERT INTO delta.`" + path("multipart") + "` SELECT id, 'p" + i + "' FROM range(" + (i * 10) + ", " + (i * 10 + 10) + ", 1, 1)");
      SparkDelta.session().conf().unset("spark.databricks.delta.checkpoint.partSize");
    }
  }

  @Test
  void v2AndMultiPartCheckpoints() throws Exception {
    Catalog c = Catalog.builder("c").root(dir.toString())
        .database("db", DeltaTable.builder("v2", "v2").build(), DeltaTable.builder("multipart", "multipart").build()).build();
    assertThat(ours(c.db("db").table("v2"))).isEqualTo(spark("v2")).hasSize(40);
    assertThat(ours(c.db("db").table("multipart"))).isEqualTo(spark("multipart")).hasSize(40);
    try (Stream<Path> log = Files.list(dir.resolve("multipart/_delta_log"))) {
      assertThat(log.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("\\d{20}\\.checkpoint\\.\\d+\\.\\d+\\.parquet"));
    }
    try (Stream<Path> log = Files.list(dir.resolve("v2/_delta_log"))) {
      assertThat(log.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("\\d{20}\\.checkpoint\\.[0-9a-f-]+\\.(json|parquet)"));
    }
  }

  @Test
  void logCompactionFilesAreWrittenAndReadBack() throws Exception {
    LakeContext context = new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
    DeltaTable table = DeltaTable.builder("compacted", "compacted")
        .schema(Schema.of(Field.required("id", DataType.INT64), Field.of("p", DataType.STRING))).build();
    table.create(context);
    WriteOptions options = WriteOptions.builder().logCompactionInterval(3).build();
    for (long i = 0; i < 6; i++) {
      table.append(Frame.fromRows(List.of(Map.of("id", i, "p", "p" + i % 2)))).context(context).options(options).commit();
    }
    DeltaWrites.awaitHooks();
    try (Stream<Path> log = Files.list(dir.resolve("compacted/_delta_log"))) {
      assertThat(log.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("\\d{20}\\.\\d{20}\\.compacted\\.json"));
    }
    DeltaTable.clearCaches(); // a reader that meets the compacted log for the first time
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    assertThat(ours(c.db("db").table("compacted"))).isEqualTo(spark("compacted")).hasSize(6);
  }

  @Test
  void theLatestSnapshotIsReusedUntilANewCommitArrives() throws Exception {
    SparkDelta.sql("CREATE TABLE delta.`" + path("reuse") + "` (id BIGINT) USING delta");
    SparkDelta.sql("INSERT INTO delta.`" + path("reuse") + "` VALUES (1)");
    CountingStore store = new CountingStore();
    Catalog c = Catalog.builder("c").root(dir.toString()).storage(Storage.builder().store("file", store).build())
        .database("db", DeltaTable.builder("reuse", "reuse").build()).build();
    assertThat(c.db("db").table("reuse").count()).isEqualTo(1);
    store.reset();
    assertThat(c.db("db").table("reuse").count()).isEqualTo(1);
    assertThat(store.filesOpened).noneMatch(p -> p.contains("_delta_log")); // no log entry read again
    SparkDelta.sql("INSERT INTO delta.`" + path("reuse") + "` VALUES (2)");
    assertThat(c.db("db").table("reuse").count()).isEqualTo(2);
  }

  @Test
  void readsOverS3EqualLocalReads() throws Exception {
    String bucket = LocalS3.newBucket();
    FileCache cache = new FileCache(dir.resolve("s3cache"), 1L << 30, Duration.ZERO);
    Storage storage = Storage.builder().s3(LocalS3.options()).cache(cache).build();
    ObjectStore s3 = storage.storeFor(Location.parse("s3://" + bucket + "/"));
    Path local = dir.resolve("v2");
    try (Stream<Path> files = Files.walk(local)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        s3.putFile(Location.parse("s3://" + bucket + "/v2/" + local.relativize(f).toString().replace('\\', '/')), f);
      }
    }
    Catalog remote = Catalog.builder("r").storage(storage)
        .database("db", DeltaTable.builder("v2", "s3://" + bucket + "/v2").build()).build();
    assertThat(ours(remote.db("db").table("v2"))).isEqualTo(spark("v2"));
    assertThat(ours(remote.db("db").table("v2", Filter.eq("p", "p1")))).hasSize(20);
    long fetched = cache.metrics().bytesFetched();
    assertThat(ours(remote.db("db").table("v2"))).hasSize(40);
    assertThat(cache.metrics().bytesFetched()).as("the second read comes from the cache").isEqualTo(fetched);
  }

  @Test
  void anUnsupportedReaderFeatureIsNamed() throws Exception {
    Path log = Files.createDirectories(dir.resolve("future/_delta_log"));
    Files.writeString(log.resolve("00000000000000000000.json"), String.join("\n",
        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"quantumColumns\"],\"writerFeatures\":[\"quantumColumns\"]}}",
        "{\"metaData\":{\"id\":\"f1\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":"
            + "\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
            + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":0}}") + "\n");
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", DeltaTable.builder("future", "future").build()).build();
    assertThatThrownBy(() -> c.db("db").table("future").collect())
        .hasMessageContaining("table 'future'").hasMessageContaining("quantumColumns");
  }
}
