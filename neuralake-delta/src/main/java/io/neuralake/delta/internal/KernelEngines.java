package io.neuralake.delta.internal;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.neuralake.storage.Storage;
import java.util.Map;
import java.util.WeakHashMap;

/** One Delta Kernel engine per storage configuration, over Neuralake's stores (never Hadoop's). */
public final class KernelEngines {
  private static final Map<Storage, Engine> ENGINES = new WeakHashMap<>();

  private KernelEngines() {}

  public static synchronized Engine forStorage(Storage storage) {
    return ENGINES.computeIfAbsent(storage, s -> DefaultEngine.create(new StoreFileIO(s)));
  }
}
