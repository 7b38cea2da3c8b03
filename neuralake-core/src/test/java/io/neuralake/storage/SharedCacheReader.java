package io.neuralake.storage;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.table.ParquetTable;

/**
 * A separate process reading an S3 table with S3 settings and the cache folder taken from the
 * environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ..., NEURALAKE_CACHE_DIR), as users run it.
 */
public final class SharedCacheReader {
  private SharedCacheReader() {}

  public static void main(String[] args) {
    Catalog catalog = Catalog.builder("c").database("db", ParquetTable.builder("t", args[0]).build()).build();
    try (DataFrame df = catalog.db("db").table("t").agg(Expr.countRows(), Expr.col("l_quantity").sum().as("q")).collect()) {
      CacheMetrics m = catalog.context().storage().cache().metrics();
      System.out.println("rows=" + df.get(0, "count") + " q=" + df.get(0, "q") + " misses=" + m.misses() + " hits=" + m.hits());
    }
  }
}
