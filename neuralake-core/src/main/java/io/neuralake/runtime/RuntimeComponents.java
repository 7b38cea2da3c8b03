package io.neuralake.runtime;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * Service-provider interface for Neuralake's own modules, not for applications: per-runtime state
 * a module keeps (the Delta module's snapshots, scan results, commit queues and checkpoint thread;
 * the core's listing cache) registers here instead of in a static, so that it lives and dies with
 * its {@link LakeRuntime}.
 *
 * <p>Each component type exists once per runtime, created on first use. When the runtime closes,
 * its components close in the reverse order of their creation, before the stores and the engine
 * they may still use (a background checkpoint, say).
 */
public final class RuntimeComponents {
  private RuntimeComponents() {}

  /**
   * The runtime's component of that type, created by {@code create} on first use.
   *
   * @throws io.neuralake.NeuralakeException ({@link io.neuralake.ErrorCode#RUNTIME_CLOSED}) if the runtime is closed
   */
  public static <T extends AutoCloseable> T of(LakeRuntime runtime, Class<T> type, Function<LakeRuntime, T> create) {
    requireNonNull(runtime, "runtime");
    return runtime.component(requireNonNull(type, "type"), requireNonNull(create, "create"));
  }

  /** A component holding cached views of storage, forgotten by {@link LakeRuntime#refresh()}. */
  public interface Cache {
    /** Forgets what was cached, so the next read looks at storage again. */
    void refresh();
  }
}
