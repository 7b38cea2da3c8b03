package io.neuralake.delta;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableDetails;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Describing, typing, explaining and planning a read of a Delta table on S3 read its log only;
 * running the query makes exactly its data files local.
 */
class DeltaMetadataOnlyTest {
  @TempDir static Path tmp;
  static String bucket;
  static long dataBytes;
  static final int ROWS = 300;
  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("p", DataType.STRING),
      Field.of("x", DataType.FLOAT64));
  CountingStore store;
  FileCache cache;
  Catalog catalog;

  @BeforeAll
  static void writeAndUpload() throws Exception {
    Path local = tmp.resolve("events");
    DeltaTable table = DeltaTable.builder("events", local.toString()).schema(SCHEMA).partitionedBy("p").build();
    table.create(LakeContext.defaults());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(Map.of("id", (long) i, "p", "p" + (i % 3), "x", i * 0.5));
    }
    table.append(Frame.fromRows(rows)).context(LakeContext.defaults()).commit();
    bucket = LocalS3.newBucket();
    try (S3ObjectStore s3 = LocalS3.store(tmp.resolve("upload-cache")); Stream<Path> files = Files.walk(local)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = local.relativize(f).toString().replace('\\', '/');
        s3.putFile(Location.parse("s3://" + bucket + "/events/" + key), f);
        if (!key.startsWith("_delta_log") && key.endsWith(".parquet")) {
          dataBytes += Files.size(f);
        }
      }
    }
  }

  @BeforeEach
  void coldCatalog() throws Exception {
    DeltaTable.clearCaches();
    cache = new FileCache(Files.createTempDirectory(tmp, "cache"), 1L << 30, Duration.ZERO);
    store = new CountingStore(new S3ObjectStore(LocalS3.options(), cache));
    catalog = Catalog.builder("c").root("s3://" + bucket).engine(Engine.shared())
        .storage(Storage.builder().store(Location.S3, store).build())
        .database("db", DeltaTable.builder("events", "events").build()).build();
  }

  private void assertOnlyTheLogWasRead() {
    assertThat(store.dataFilesOpened()).as("data files made local").isEmpty();
    assertThat(store.filesOpened).allMatch(f -> f.contains("/_delta_log/"));
    assertThat(store.objectsRead).allMatch(f -> f.contains("/_delta_log/"));
    assertThat(store.rangesRead).allMatch(f -> f.contains("/_delta_log/"));
  }

  @Test
  void detailsAndSchemaComeFromTheLog() throws Exception {
    TableDefinition events = catalog.db("db").definition("events");
    TableDetails details = events.details(catalog.context());
    assertThat(details.version()).hasValue(1);
    assertThat(details.fileCount()).hasValue(3);
    assertThat(details.sizeBytes()).hasValue(dataBytes);
    assertThat(details.rowCount()).hasValue(ROWS);
    assertThat(details.partitionColumns()).containsExactly("p");
    assertThat(details.lastModified()).isPresent();
    assertThat(events.schema(catalog.context()).names()).containsExactly("id", "p", "x");
    assertOnlyTheLogWasRead();
  }

  @Test
  void schemaExplainAndPlanReadTheLogOnly() {
    Frame q = catalog.db("db").table("events").filter(col("p").eq("p1")).select("id", "x");
    assertThat(q.schema().names()).containsExactly("id", "x");
    assertThat(q.explain()).contains("files=1/1").contains("read_parquet over 1 file(s) of db.events");
    assertThat(catalog.sql("SELECT p, count(*) FROM db.events GROUP BY p").schema().names()).hasSize(2);
    assertOnlyTheLogWasRead();
  }

  @Test
  void theQueryFetchesItsDataFilesWhenItRuns() {
    try (DataFrame df = catalog.db("db").table("events").filter(col("p").eq("p1")).agg(col("id").sum().as("s")).collect()) {
      long expected = 0;
      for (int i = 1; i < ROWS; i += 3) {
        expected += i;
      }
      assertThat(((Number) df.get(0, "s")).longValue()).isEqualTo(expected);
    }
    assertThat(store.dataFilesOpened()).hasSize(1).allMatch(f -> f.contains("p=p1"));
  }
}
