package io.neuralake.spark.internal;

import io.neuralake.catalog.Catalog;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;
import java.io.Serializable;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A table of a catalog as Spark reads it: the {@code catalog} option it is loaded from (on the
 * driver and on every executor), its database and name, and the version or time asked for
 * ({@code VERSION AS OF}, {@code TIMESTAMP AS OF}); -1 and null when the current one.
 */
public record TableRef(String spec, String sparkCatalog, String database, String table, long version,
    Instant timestamp) implements Serializable {
  private static final long serialVersionUID = 1L;

  public Catalog catalog() {
    return LoadedCatalogs.get(spec);
  }

  public TableDefinition definition() {
    return catalog().db(database).definition(table);
  }

  /** Read options with the version or time asked for, and nothing else. */
  public ReadOptions readOptions() {
    ReadOptions.Builder b = ReadOptions.builder();
    if (version >= 0) {
      b.version(version);
    }
    if (timestamp != null) {
      b.timestamp(timestamp);
    }
    return b.build();
  }

  public OptionalLong versionAsked() {
    return version >= 0 ? OptionalLong.of(version) : OptionalLong.empty();
  }

  /** {@code database.table}, as Neuralake's messages name it. */
  public String qualifiedName() {
    return database + "." + table;
  }

  @Override
  public String toString() {
    return sparkCatalog + "." + database + "." + table + (version >= 0 ? " VERSION AS OF " + version : "")
        + (timestamp != null ? " TIMESTAMP AS OF " + timestamp : "");
  }
}
