package io.neuralake.delta.internal;

import io.delta.kernel.engine.Engine;
import io.neuralake.table.LakeContext;

/** The Delta Kernel engine of a context: one per storage in its runtime, over Neuralake's stores (never Hadoop's). */
public final class KernelEngines {
  private KernelEngines() {}

  public static Engine of(LakeContext context) {
    return DeltaRuntime.of(context).kernel(context.storage());
  }
}
