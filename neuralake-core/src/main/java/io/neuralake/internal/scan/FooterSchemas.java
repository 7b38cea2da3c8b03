package io.neuralake.internal.scan;

import io.neuralake.internal.BoundedMaps;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.runtime.RuntimeComponents;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The columns of sets of Parquet files, remembered per runtime: a query over a table without a
 * declared schema is typed from its files' footers, and reading them again for every query of an
 * unchanged table costs the engine a footer read per file. A file is identified by its location,
 * size and ETag, which change when it is rewritten, so a remembered schema is never stale.
 */
public final class FooterSchemas implements AutoCloseable, RuntimeComponents.Cache {
  /** Bound on file sets remembered (the least recently used are forgotten). */
  private static final int MAX_ENTRIES = 1_000;

  private final Map<String, Schema> schemas = BoundedMaps.leastRecentlyUsed(MAX_ENTRIES);

  private FooterSchemas(LakeRuntime runtime) {}

  /** The context's runtime's schemas. */
  public static FooterSchemas of(LakeContext context) {
    return RuntimeComponents.of(context.runtime(), FooterSchemas.class, FooterSchemas::new);
  }

  /** The files' columns together, read from their footers once per set of file versions. */
  public Schema schema(io.neuralake.engine.Engine engine, ObjectStore store, List<ObjectInfo> files) throws IOException {
    StringBuilder key = new StringBuilder(store.identity());
    for (ObjectInfo f : files) {
      key.append('\n').append(f.location()).append('|').append(f.size()).append('|').append(f.etag()).append('|')
          .append(f.lastModified());
    }
    String k = key.toString();
    Schema known = schemas.get(k);
    if (known != null) {
      return known;
    }
    Schema read = ParquetFooters.schema(engine, store, files);
    schemas.put(k, read);
    return read;
  }

  @Override
  public void refresh() {
    schemas.clear();
  }

  @Override
  public void close() {
    schemas.clear();
  }
}
