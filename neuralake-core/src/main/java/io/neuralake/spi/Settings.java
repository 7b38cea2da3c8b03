package io.neuralake.spi;

import io.neuralake.internal.Env;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings from the environment, read as the core reads its own: the system property
 * ({@code neuralake.cache.dir}) wins over the variable ({@code NEURALAKE_CACHE_DIR}); a bad value
 * is an {@link io.neuralake.InvalidSettingException} naming the setting.
 */
public final class Settings {
  private Settings() {}

  /** The setting's value, trimmed; blank is unset. */
  public static Optional<String> get(String variable) {
    return Env.get(variable);
  }

  /** The setting as a path. */
  public static Optional<Path> path(String variable) {
    return Env.get(variable, Env::parsePath);
  }
}
