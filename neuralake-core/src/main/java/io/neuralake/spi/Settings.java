package io.neuralake.spi;

import io.neuralake.internal.Env;
import java.nio.file.Path;
import java.time.Duration;
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

  /** The setting as a whole number of at least {@code min}; {@code meaning} says what it counts, for errors. */
  public static Optional<Integer> integer(String variable, int min, String meaning) {
    return Env.get(variable, (name, v) -> Env.parseInt(name, v, min, meaning));
  }

  /** The setting as a duration: {@code 0}, {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
  public static Optional<Duration> duration(String variable) {
    return Env.get(variable, Env::parseDuration);
  }

  /** The setting as a size in bytes: {@code 1048576}, {@code 512MB}, {@code 10GiB}. */
  public static Optional<Long> bytes(String variable) {
    return Env.get(variable, Env::parseBytes);
  }

  /** The setting as true or false. */
  public static Optional<Boolean> bool(String variable) {
    return Env.get(variable, Env::parseBoolean);
  }
}
