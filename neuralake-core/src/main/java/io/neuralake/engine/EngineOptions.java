package io.neuralake.engine;

import io.neuralake.internal.Env;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the embedded engine may use the machine.
 *
 * @param memoryLimit the engine's memory limit in DuckDB's notation ({@code 4GB}, {@code 512MB}),
 *     or empty for DuckDB's default (80% of RAM); beyond it, operators spill to disk
 * @param threads worker threads, or 0 for one per core
 * @param tempDirectory where spilled data goes, or empty for DuckDB's default
 */
public record EngineOptions(Optional<String> memoryLimit, int threads, Optional<Path> tempDirectory) {
  public EngineOptions {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (one per core) or more, got " + threads);
    }
    memoryLimit.ifPresent(m -> {
      if (!m.matches("(?i)\\s*\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\\s*")) {
        throw new IllegalArgumentException("memory limit '" + m + "' is not valid; write e.g. 4GB or 512MB");
      }
    });
  }

  /** From {@code NEURALAKE_MEMORY_LIMIT}, {@code NEURALAKE_THREADS} and {@code NEURALAKE_TEMP_DIR}. */
  public static EngineOptions fromEnvironment() {
    int threads = Env.get("NEURALAKE_THREADS").map(t -> {
      try {
        return Integer.parseInt(t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("NEURALAKE_THREADS='" + t + "' is not a number of threads");
      }
    }).orElse(0);
    return new EngineOptions(Env.get("NEURALAKE_MEMORY_LIMIT"), threads, Env.get("NEURALAKE_TEMP_DIR").map(Path::of));
  }

  public EngineOptions withMemoryLimit(String limit) {
    return new EngineOptions(Optional.of(limit), threads, tempDirectory);
  }

  public EngineOptions withThreads(int n) {
    return new EngineOptions(memoryLimit, n, tempDirectory);
  }
}
