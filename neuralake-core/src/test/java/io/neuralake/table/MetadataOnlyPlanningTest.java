package io.neuralake.table;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.sample.TpchData;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Describing, typing, explaining and planning a read of a Parquet table on S3 read its listing and
 * at most its footers (ranged reads of their tails), never a data file; running the query makes
 * exactly its files local, through the cache as before.
 */
class MetadataOnlyPlanningTest {
  @TempDir static Path tmp;
  static Path lake;
  static String bucket;
  static long tableBytes;
  CountingStore store;
  FileCache cache;
  Catalog remote;
  Catalog local;

  @BeforeAll
  static void upload() throws Exception {
    lake = tmp.resolve("lake");
    TpchData.writeTable("orders", lake.resolve("orders"), 0.01, 4_000);
    bucket = LocalS3.newBucket();
    try (S3ObjectStore s3 = LocalS3.store(tmp.resolve("upload-cache")); Stream<Path> files = Files.walk(lake)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        s3.putFile(Location.parse("s3://" + bucket + "/lake/" + lake.relativize(f)), f);
        tableBytes += Files.size(f);
      }
    }
  }

  static TableDefinition[] tables() {
    return new TableDefinition[] {
      ParquetTable.builder("orders", "orders").build(),
      ParquetTable.builder("declared", "orders")
          .schema(Schema.of(Field.of("o_orderkey", DataType.INT64), Field.of("o_totalprice", DataType.FLOAT64))).build()
    };
  }

  @BeforeEach
  void coldCatalog() throws Exception {
    Path cacheDir = Files.createTempDirectory(tmp, "cache");
    cache = new FileCache(cacheDir, 1L << 30, Duration.ZERO);
    store = new CountingStore(new S3ObjectStore(LocalS3.options(), cache));
    remote = Catalog.builder("remote").root("s3://" + bucket + "/lake").engine(Engine.shared())
        .storage(Storage.builder().store(Location.S3, store).build()).database("db", tables()).build();
    local = Catalog.builder("local").root(lake.toString()).database("db", tables()).build();
  }

  private void assertNoDataFileFetched() {
    assertThat(store.filesOpened).as("files made local").isEmpty();
    assertThat(store.objectsRead).as("objects read whole").isEmpty();
    assertThat(cache.metrics().bytesFetched()).isZero();
  }

  @Test
  void describeReadsTheListingAndOneFooter() throws Exception {
    TableDefinition orders = remote.db("db").definition("orders");
    TableDetails details = orders.details(remote.context());
    assertThat(details.fileCount()).hasValue(4);
    assertThat(details.sizeBytes()).hasValue(tableBytes);
    assertThat(details.lastModified()).isPresent();
    assertThat(orders.schema(remote.context())).isEqualTo(local.db("db").table("orders").schema());
    assertNoDataFileFetched();
    assertThat(store.rangesRead).as("one footer: a ranged read of the file's tail").hasSize(1);
    assertThat(store.bytesRead.get()).isLessThanOrEqualTo(4096);
  }

  @Test
  void schemaAndExplainReadFootersOnly() {
    Frame orders = remote.db("db").table("orders").filter(col("o_orderstatus").eq("F"));
    assertThat(orders.schema()).isEqualTo(local.db("db").table("orders").filter(col("o_orderstatus").eq("F")).schema());
    assertThat(orders.explain()).contains("files=4/4").contains("read_parquet over 4 file(s) of db.orders")
        .contains("s3://" + bucket + "/lake/orders/");
    assertNoDataFileFetched();
    assertThat(store.rangesRead.stream().map(r -> r.substring(0, r.indexOf('@'))).distinct())
        .as("the footers of the files the read would open").hasSize(4).allMatch(r -> r.contains("/lake/orders/"));
    assertThat(store.bytesRead.get()).isLessThan(tableBytes / 20);
  }

  @Test
  void aDeclaredSchemaNeedsNoFooterAtAll() {
    assertThat(remote.db("db").table("declared").schema().names()).containsExactly("o_orderkey", "o_totalprice");
    remote.db("db").table("declared").explain();
    assertNoDataFileFetched();
    assertThat(store.rangesRead).isEmpty();
  }

  @Test
  void runningTheQueryFetchesItsFilesThroughTheCache() {
    Frame q = remote.db("db").table("orders").filter(col("o_orderstatus").eq("F")).select("o_orderkey", "o_totalprice")
        .sort("o_orderkey");
    List<String> expected;
    try (DataFrame df = local.db("db").table("orders").filter(col("o_orderstatus").eq("F"))
        .select("o_orderkey", "o_totalprice").sort("o_orderkey").collect()) {
      expected = DuckDb.Rows.of(df.rows());
    }
    try (DataFrame df = q.collect()) {
      assertThat(DuckDb.Rows.of(df.rows())).isEqualTo(expected).isNotEmpty();
    }
    assertThat(store.filesOpened).hasSize(4);
    assertThat(cache.metrics().misses()).isEqualTo(4);
    long fetched = cache.metrics().bytesFetched();
    assertThat(fetched).isEqualTo(tableBytes);
    store.reset();
    try (DataFrame df = q.collect()) {
      assertThat(DuckDb.Rows.of(df.rows())).isEqualTo(expected);
    }
    assertThat(cache.metrics().misses()).isEqualTo(4);
    assertThat(cache.metrics().bytesFetched()).isEqualTo(fetched);
    assertThat(store.rangesRead).as("warm: no footer is fetched").isEmpty();
    assertThat(store.localCopiesUsed).as("warm: the footers' columns are remembered, not read again").isEmpty();
  }

  @Test
  void aSqlQueryAndAWriteFetchOnlyWhenTheyRun() throws Exception {
    Frame sql = remote.sql("SELECT o_orderstatus, count(*) AS n FROM db.orders GROUP BY 1 ORDER BY 1");
    assertThat(sql.schema().names()).containsExactly("o_orderstatus", "n");
    assertNoDataFileFetched();
    Path out = tmp.resolve("counts.csv");
    sql.writeCsv(out);
    assertThat(Files.readAllLines(out)).hasSize(4);
    assertThat(store.filesOpened).hasSize(4);
  }
}
