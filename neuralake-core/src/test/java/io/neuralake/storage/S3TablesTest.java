package io.neuralake.storage;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.sample.TpchData;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.Fixtures;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every read over S3 equals the same read over the local files. */
class S3TablesTest {
  @TempDir static Path tmp;
  static Catalog local;
  static Catalog remote;
  static FileCache cache;
  static String bucket;

  static ParquetTable[] tables() {
    Partition implant = Partition.of("implant_id", DataType.INT64);
    Partition date = Partition.of("date", DataType.STRING);
    return new ParquetTable[] {
      ParquetTable.builder("events", "events").partitioning(PartitioningScheme.HIVE, implant, date).build(),
      ParquetTable.builder("orders", "orders").build(),
      ParquetTable.builder("one_file", "orders/part-00000.parquet").build()
    };
  }

  @BeforeAll
  static void setUp() throws Exception {
    Path lake = tmp.resolve("lake");
    Fixtures.writeEvents(lake.resolve("events"));
    TpchData.writeTable("orders", lake.resolve("orders"), 0.01, 4_000);
    bucket = LocalS3.newBucket();
    cache = new FileCache(tmp.resolve("cache"), 1L << 30, Duration.ZERO);
    Storage storage = Storage.builder().s3(LocalS3.options()).cache(cache).build();
    ObjectStore s3 = storage.storeFor(Location.parse("s3://" + bucket + "/"));
    try (var files = Files.walk(lake)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        s3.putFile(Location.parse("s3://" + bucket + "/lake/" + lake.relativize(f)), f);
      }
    }
    local = Catalog.builder("local").root(lake.toString()).database("db", tables()).build();
    remote = Catalog.builder("remote").root("s3://" + bucket + "/lake").storage(storage).engine(Engine.shared())
        .database("db", tables()).build();
  }

  private static List<String> rows(Frame f) {
    try (DataFrame df = f.collect()) {
      return DuckDb.Rows.of(df.rows());
    }
  }

  private static void same(Function<Catalog, Frame> query) {
    List<String> expected = rows(query.apply(local));
    assertThat(rows(query.apply(remote))).isEqualTo(expected).isNotEmpty();
  }

  @Test
  void tableReadsFiltersAndSqlAreTheSameAsLocal() {
    same(c -> c.db("db").table("events").sort("x"));
    same(c -> c.db("db").table("events", Filter.eq("implant_id", 4595), Filter.ge("date", "2024-04-28")).sort("x"));
    same(c -> c.db("db").table("events", Filter.includesAny("tags", 1, 2), Filter.lt("x", 100)).sort("x"));
    same(c -> c.db("db").table("orders").groupBy("o_orderstatus").agg(col("o_totalprice").sum().as("t")).sort("o_orderstatus"));
    same(c -> c.db("db").table("one_file").filter(col("o_orderkey").lt(100)).sort("o_orderkey"));
    same(c -> c.sql("SELECT e.implant_id, count(*) AS n FROM db.events e JOIN db.orders o ON e.x = o.o_custkey"
        + " WHERE e.date = '2024-04-29' GROUP BY 1 ORDER BY 1"));
  }

  @Test
  void pruningWorksOverS3() {
    try (DataFrame df = remote.db("db").table("events", Filter.eq("implant_id", 4596), Filter.eq("date", "2024-04-28")).collect()) {
      assertThat(df.rowCount()).isEqualTo(40);
    }
    String plan = remote.db("db").table("events", Filter.eq("implant_id", 4596), Filter.eq("date", "2024-04-28")).explain();
    assertThat(plan).contains("prefix=s3://" + bucket + "/lake/events/implant_id=4596/date=2024-04-28/").contains("files=1/1");
  }

  @Test
  void repeatedQueriesReadFromTheCache() {
    Frame q = remote.db("db").table("orders").filter(col("o_orderstatus").eq("F"));
    long first = q.count();
    long missesAfterFirst = cache.metrics().misses();
    long fetchedAfterFirst = cache.metrics().bytesFetched();
    long hitsAfterFirst = cache.metrics().hits();
    assertThat(q.count()).isEqualTo(first);
    assertThat(cache.metrics().misses()).isEqualTo(missesAfterFirst);
    assertThat(cache.metrics().bytesFetched()).isEqualTo(fetchedAfterFirst);
    assertThat(cache.metrics().hits() - hitsAfterFirst).isEqualTo(4); // the four files of orders
  }
}
