package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import java.util.Optional;

/**
 * What a table needs from its surroundings to plan a read or a write: the lake root against which
 * relative table locations resolve, storage, the engine, the {@link LakeRuntime} whose caches of
 * table state it uses, and the catalog the table is in, if any (a function table reads its
 * sibling tables through it).
 *
 * @param storage the stores; usually the runtime's, or a catalog's own
 * @param engine the engine; usually the runtime's, or a catalog's own
 * @param catalog the catalog this context belongs to ({@code catalog.context()}); empty outside one
 */
public record LakeContext(Location root, Storage storage, Engine engine, LakeRuntime runtime, Optional<Catalog> catalog) {
  public LakeContext {
    requireNonNull(root, "root");
    requireNonNull(storage, "storage");
    requireNonNull(engine, "engine");
    requireNonNull(runtime, "runtime");
    requireNonNull(catalog, "catalog");
    root = root.asFolder();
  }

  /** A context outside any catalog whose table state lives in the default runtime ({@link LakeRuntime#defaults()}). */
  public LakeContext(Location root, Storage storage, Engine engine) {
    this(root, storage, engine, LakeRuntime.defaults(), Optional.empty());
  }

  /**
   * The context of the environment, that of the default runtime: the lake root from
   * {@code NEURALAKE_LAKE_ROOT} (or the working directory), its storage and its engine. Table
   * handles use it when they come from no catalog.
   */
  public static LakeContext defaults() {
    return LakeRuntime.defaults().context();
  }

  /** {@code NEURALAKE_LAKE_ROOT}, or the working directory. */
  public static Location rootFromEnvironment() {
    return io.neuralake.internal.Env.get("NEURALAKE_LAKE_ROOT", io.neuralake.internal.Env::parseLocation)
        .orElseGet(() -> Location.parse("."));
  }

  /** A table location: absolute ones as they are, relative ones under the lake root. */
  public Location resolve(String uri) {
    if (uri.contains("://") || uri.startsWith("/")) {
      return Location.parse(uri);
    }
    return root.resolve(uri);
  }

  public ObjectStore storeFor(Location location) {
    return storage.storeFor(location);
  }

  /** The store for a table's location, with the table's own S3 options if it declares them. */
  public ObjectStore storeFor(Location location, Optional<io.neuralake.storage.S3Options> tableOptions) {
    return storage.storeFor(location, tableOptions);
  }
}
