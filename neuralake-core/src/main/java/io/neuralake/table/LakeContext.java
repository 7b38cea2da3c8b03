package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.engine.Engine;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;

/**
 * What a table needs from its surroundings to plan a read: storage, the engine, and the lake root
 * against which relative table locations resolve.
 */
public record LakeContext(Location root, Storage storage, Engine engine) {
  public LakeContext {
    requireNonNull(root, "root");
    requireNonNull(storage, "storage");
    requireNonNull(engine, "engine");
    root = root.asFolder();
  }

  /**
   * The context of the environment: the lake root from {@code NEURALAKE_LAKE_ROOT} (or the working
   * directory), the shared storage and the shared engine. Table handles use it when no catalog is given.
   */
  public static LakeContext defaults() {
    return new LakeContext(rootFromEnvironment(), Storage.shared(), Engine.shared());
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
  public ObjectStore storeFor(Location location, java.util.Optional<io.neuralake.storage.S3Options> tableOptions) {
    return storage.storeFor(location, tableOptions);
  }
}
