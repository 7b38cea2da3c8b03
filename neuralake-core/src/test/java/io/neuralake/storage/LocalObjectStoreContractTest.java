package io.neuralake.storage;

import io.neuralake.testing.ObjectStoreContract;
import java.util.UUID;

/** The object-store contract on the local disk. */
class LocalObjectStoreContractTest extends ObjectStoreContract {
  private final LocalObjectStore store = new LocalObjectStore();

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected Location newFolder() {
    return Location.ofPath(tmp.resolve("store-" + UUID.randomUUID()));
  }
}
