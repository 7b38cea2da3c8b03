package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.engine.EngineOptions;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ParquetTable;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delta tables, local and on S3 (through the file cache), read by a sandboxed engine. */
class DeltaSandboxTest {
  @TempDir static Path dir;
  static Path lake;
  static Path cacheDir;
  static Engine engine;

  @BeforeAll
  static void setUp() {
    lake = dir.resolve("lake");
    cacheDir = dir.resolve("cache");
    LakeContext open = new LakeContext(Location.parse(lake.toString()), Storage.defaults(), Engine.shared());
    DeltaTable orders = DeltaTable.builder("orders", "orders")
        .schema(Schema.of(Field.required("id", DataType.INT64), Field.of("region", DataType.STRING)))
        .partitionedBy("region").build();
    orders.create(open);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long i = 0; i < 100; i++) {
      rows.add(Map.of("id", i, "region", i % 2 == 0 ? "eu" : "us"));
    }
    orders.append(Frame.fromRows(rows)).context(open).commit();
    Frame.fromRows(List.of(Map.of("region", "eu", "name", "Europe"), Map.of("region", "us", "name", "Americas")))
        .writeParquet(lake.resolve("regions.parquet"));
    DeltaWrites.awaitHooks();
    engine = Engine.create(EngineOptions.fromEnvironment().locked(lake, cacheDir));
  }

  @AfterAll
  static void tearDown() {
    engine.close();
  }

  @Test
  void localDeltaAndParquetTablesJoin() {
    Catalog c = Catalog.builder("c").root(lake.toString()).engine(engine)
        .database("db", DeltaTable.builder("orders", "orders").build(), ParquetTable.builder("regions", "regions.parquet").build())
        .build();
    try (DataFrame df = c.sql("SELECT r.name, count(*) AS n FROM db.orders o JOIN db.regions r ON o.region = r.region"
        + " WHERE o.region = 'eu' GROUP BY 1").collect()) {
      assertThat(df.rows()).containsExactly(Map.of("name", "Europe", "n", 50L));
    }
    assertThatThrownBy(() -> c.sql("SELECT * FROM delta_scan('" + lake.resolve("orders") + "')").collect())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED));
  }

  @Test
  void aDeltaTableOnS3IsReadThroughTheCacheFolder() throws Exception {
    String bucket = LocalS3.newBucket();
    Storage storage = Storage.builder().s3(LocalS3.options()).cache(new FileCache(cacheDir, 1L << 30, Duration.ZERO)).build();
    ObjectStore s3 = storage.storeFor(Location.parse("s3://" + bucket + "/"));
    Path local = lake.resolve("orders");
    try (Stream<Path> files = Files.walk(local)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        s3.putFile(Location.parse("s3://" + bucket + "/orders/" + local.relativize(f).toString().replace('\\', '/')), f);
      }
    }
    Catalog c = Catalog.builder("r").storage(storage).engine(engine)
        .database("db", DeltaTable.builder("orders", "s3://" + bucket + "/orders").build()).build();
    assertThat(c.sql("SELECT * FROM db.orders WHERE region = 'us'").count()).isEqualTo(50);
  }
}
