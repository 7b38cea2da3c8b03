package io.neuralake.storage;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.sample.TpchData;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.FaultyProxy;
import io.neuralake.testing.LocalS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A proxy that resets connections and answers 500/503 at random: retries hide it, results stay the same. */
class S3FaultsTest {
  @TempDir Path tmp;

  @Test
  void readsAndConditionalWritesSurviveInjectedFaults() throws Exception {
    Path lake = tmp.resolve("lake");
    TpchData.writeTable("lineitem", lake.resolve("lineitem"), 0.01, 12_000);
    String bucket = LocalS3.newBucket();
    try (S3ObjectStore direct = LocalS3.store(tmp.resolve("direct-cache"))) {
      try (var files = Files.list(lake.resolve("lineitem"))) {
        for (Path f : files.toList()) {
          direct.putFile(Location.parse("s3://" + bucket + "/lineitem/" + f.getFileName()), f);
        }
      }
    }
    try (FaultyProxy proxy = new FaultyProxy(LocalS3.server().port(), 0.3, 42)) {
      S3Options faulty = LocalS3.options().toBuilder().endpoint(proxy.endpoint()).maxAttempts(20).build();
      FileCache cache = new FileCache(tmp.resolve("cache"), 1L << 30, Duration.ZERO);
      Storage storage = Storage.builder().s3(faulty).cache(cache).build();
      ParquetTable remoteTable = ParquetTable.builder("lineitem", "s3://" + bucket + "/lineitem").build();
      ParquetTable localTable = ParquetTable.builder("lineitem", lake.resolve("lineitem").toString()).build();
      Catalog remote = Catalog.builder("r").storage(storage).database("tpch", remoteTable).build();
      Catalog local = Catalog.builder("l").database("tpch", localTable).build();

      for (int run = 0; run < 3; run++) {
        try (DataFrame a = remote.db("tpch").table("lineitem").groupBy("l_returnflag", "l_linestatus")
                .agg(col("l_quantity").sum().as("q"), col("l_extendedprice").mean().as("p")).sort("l_returnflag", "l_linestatus").collect();
            DataFrame b = local.db("tpch").table("lineitem").groupBy("l_returnflag", "l_linestatus")
                .agg(col("l_quantity").sum().as("q"), col("l_extendedprice").mean().as("p")).sort("l_returnflag", "l_linestatus").collect()) {
          assertThat(DuckDb.Rows.of(a.rows())).isEqualTo(DuckDb.Rows.of(b.rows()));
        }
        cache = new FileCache(tmp.resolve("cache-" + run), 1L << 30, Duration.ZERO); // cold again next run
        storage = Storage.builder().s3(faulty).cache(cache).build();
        remote = Catalog.builder("r").storage(storage).database("tpch", remoteTable).build();
      }

      // conditional writes through the faults: still exactly one winner per key
      try (S3ObjectStore store = new S3ObjectStore(faulty, cache)) {
        for (int v = 0; v < 10; v++) {
          Location key = Location.parse("s3://" + bucket + "/_delta_log/" + v + ".json");
          List<Boolean> results = new ArrayList<>();
          for (int w = 0; w < 3; w++) {
            results.add(store.putIfAbsent(key, ("w" + w).getBytes()));
          }
          assertThat(results.stream().filter(r -> r)).as("version " + v).hasSizeLessThanOrEqualTo(1);
          assertThat(store.head(key)).isPresent();
        }
      }
      assertThat(proxy.errorsSent.get() + proxy.resets.get()).as("faults were injected").isGreaterThan(5);
    }
  }
}
