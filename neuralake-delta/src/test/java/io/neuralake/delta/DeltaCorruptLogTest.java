package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.frame.Frame;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A damaged log: what still reads reads right and logs one line; what cannot names the table and the file. */
class DeltaCorruptLogTest {
  @TempDir Path dir;

  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  /** A table of three commits (ids 0, 1, 2) and a checkpoint at the last. */
  private Catalog table(String name) throws Exception {
    LakeContext context = new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
    DeltaTable table = DeltaTable.builder(name, name).schema(Schema.of(Field.required("id", DataType.INT64))).build();
    table.create(context);
    for (long i = 0; i < 3; i++) {
      table.append(Frame.fromRows(List.of(Map.of("id", i)))).context(context).commit();
    }
    table.checkpoint(context);
    return Catalog.builder("c").root(dir.toString()).database("db", table).build();
  }

  private long[] ids(Catalog c, String name) {
    return c.db("db").table(name).collect().column("id").stream().mapToLong(v -> (Long) v).sorted().toArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"version\":3,\"si", "", "{\"version\":\"three\",\"size\":4}", "[]", "\u0000\u0001binary"})
  void anUnreadableLastCheckpointIsSkippedWithOneLogLine(String content) throws Exception {
    table("t");
    Path last = dir.resolve("t/_delta_log/_last_checkpoint");
    assertThat(last).exists();
    Files.writeString(last, content);
    DeltaTable.clearCaches(); // the writer's snapshot would spare the read any look at the log
    try (CapturedLogs logs = new CapturedLogs()) {
      Catalog c = Catalog.builder("c").root(dir.toString()).database("db", DeltaTable.builder("t", "t").build()).build();
      assertThat(ids(c, "t")).containsExactly(0, 1, 2);
      // Kernel's notice that it lists the log without a hint, which it gives for every young table, is
      // silenced in the CLI's logging configuration; nothing else may be logged, and no stack trace
      assertThat(logs.lines()).filteredOn(l -> !l.contains("SnapshotManager - Cannot find a complete checkpoint"))
          .singleElement().asString()
          .contains("WARN", "Delta table at ", dir.resolve("t").toString(), "_last_checkpoint is unreadable", "listing the log instead")
          .doesNotContain("stack trace");
    }
  }

  @Test
  void aCorruptCommitNamesTheTableAndTheLogFile() throws Exception {
    Catalog c = table("t");
    Files.delete(dir.resolve("t/_delta_log/_last_checkpoint"));
    Files.delete(dir.resolve("t/_delta_log/00000000000000000003.checkpoint.parquet"));
    Files.writeString(dir.resolve("t/_delta_log/00000000000000000002.json"), "{not json");
    DeltaTable.clearCaches();
    assertThatThrownBy(() -> c.db("db").table("t").collect())
        .hasMessageContaining("table 't'")
        .hasMessageContaining("00000000000000000002.json")
        .hasMessageContaining("corrupt")
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.CORRUPT_LOG));
  }

  @Test
  void aCorruptCheckpointNamesTheTableAndTheFile() throws Exception {
    Catalog c = table("t");
    Files.writeString(dir.resolve("t/_delta_log/00000000000000000003.checkpoint.parquet"), "not parquet at all");
    DeltaTable.clearCaches();
    assertThatThrownBy(() -> c.db("db").table("t").collect())
        .hasMessageContaining("table 't'")
        .hasMessageContaining("00000000000000000003.checkpoint.parquet (not a Parquet file) is corrupt")
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.CORRUPT_LOG));
  }

  @Test
  void aDamagedRemoteDataFileIsNamedByItsUriNotItsCachedCopy() throws Exception {
    table("t");
    String bucket = LocalS3.newBucket();
    Path cacheDir = dir.resolve("s3cache");
    Storage storage = Storage.builder().s3(LocalS3.options()).cache(new FileCache(cacheDir, 1L << 30, Duration.ZERO)).build();
    ObjectStore s3 = storage.storeFor(Location.parse("s3://" + bucket + "/"));
    Path local = dir.resolve("t");
    String damaged = null;
    try (var files = Files.walk(local)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = "t/" + local.relativize(f).toString().replace('\\', '/');
        if (damaged == null && key.endsWith(".parquet") && !key.contains("_delta_log")) {
          damaged = key;        // same size as the log says, but not Parquet
          s3.put(Location.parse("s3://" + bucket + "/" + key), new byte[(int) Files.size(f)]);
        } else {
          s3.putFile(Location.parse("s3://" + bucket + "/" + key), f);
        }
      }
    }
    Catalog remote = Catalog.builder("r").storage(storage)
        .database("db", DeltaTable.builder("t", "s3://" + bucket + "/t").build()).build();
    String uri = "s3://" + bucket + "/" + damaged;
    assertThatThrownBy(() -> remote.db("db").table("t").collect())
        .hasMessageContaining("table db.t: the file " + uri + " cannot be read")
        .hasMessageNotContaining(cacheDir.toString())
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.CORRUPT_FILE));
  }
}
