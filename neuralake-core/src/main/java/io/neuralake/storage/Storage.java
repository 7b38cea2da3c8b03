package io.neuralake.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object stores a lake reads and writes, one per location scheme. Tables ask it for the store
 * of their location; tests and embedders can register their own.
 */
public final class Storage implements AutoCloseable {
  private final Map<String, ObjectStore> stores;

  private Storage(Map<String, ObjectStore> stores) {
    this.stores = Map.copyOf(stores);
  }

  /** Local files only. */
  public static Storage local() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The store for a location, or an error naming the location and the schemes available. */
  public ObjectStore storeFor(Location location) {
    ObjectStore store = stores.get(location.scheme());
    if (store == null) {
      throw new IllegalArgumentException("no object store is configured for " + location
          + "; configured schemes: " + String.join(", ", stores.keySet()));
    }
    return store;
  }

  @Override
  public void close() throws IOException {
    for (ObjectStore s : stores.values()) {
      s.close();
    }
  }

  public static final class Builder {
    private final Map<String, ObjectStore> stores = new LinkedHashMap<>();

    private Builder() {
      stores.put(Location.FILE, new LocalObjectStore());
    }

    public Builder store(String scheme, ObjectStore store) {
      stores.put(requireNonNull(scheme, "scheme"), requireNonNull(store, "store"));
      return this;
    }

    public Storage build() {
      return new Storage(stores);
    }
  }
}
