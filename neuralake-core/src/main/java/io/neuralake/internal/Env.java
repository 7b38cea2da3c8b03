package io.neuralake.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * Settings from the environment: a system property ({@code neuralake.cache.dir}) wins over the
 * environment variable ({@code NEURALAKE_CACHE_DIR}), so tests and embedders can override without
 * touching the process environment.
 */
public final class Env {
  private Env() {}

  public static Optional<String> get(String variable) {
    String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(variable);
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}
