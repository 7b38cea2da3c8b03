package io.neuralake.engine;

import io.neuralake.ErrorCode;
import io.neuralake.InvalidSettingException;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.Env;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the embedded engine may use the machine.
 *
 * @param memoryLimit the engine's memory limit in DuckDB's notation ({@code 4GB}, {@code 512MB}),
 *     or empty for DuckDB's default (80% of RAM); beyond it, operators spill to disk
 * @param threads worker threads, or 0 for one per core
 * @param tempDirectory where spilled data goes, or empty for a folder of the engine's own under the
 *     system's temporary folder, removed when the engine closes
 */
public record EngineOptions(Optional<String> memoryLimit, int threads, Optional<Path> tempDirectory) {
  public EngineOptions {
    if (threads < 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "threads must be 0 (one per core) or more, got " + threads);
    }
    memoryLimit.ifPresent(m -> {
      if (!isMemoryLimit(m)) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
            "memory limit '" + m + "' is not valid; write e.g. 4GB or 512MB");
      }
    });
  }

  /** From {@code NEURALAKE_MEMORY_LIMIT}, {@code NEURALAKE_THREADS} and {@code NEURALAKE_TEMP_DIR}. */
  public static EngineOptions fromEnvironment() {
    int threads = Env.get("NEURALAKE_THREADS", (name, v) -> Env.parseInt(name, v, 0, "the engine's worker threads (0: one"
        + " per core)")).orElse(0);
    Optional<String> memory = Env.get("NEURALAKE_MEMORY_LIMIT", (name, v) -> {
      if (!isMemoryLimit(v)) {
        throw new InvalidSettingException(name, v, "write the engine's memory limit as a size with a unit (B, KB, MB, GB,"
            + " TB, KiB, MiB, GiB, TiB)", name + "=4GB");
      }
      return v;
    });
    return new EngineOptions(memory, threads, Env.get("NEURALAKE_TEMP_DIR", Env::parsePath));
  }

  private static boolean isMemoryLimit(String m) {
    return m.matches("(?i)\\s*\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\\s*");
  }

  public EngineOptions withMemoryLimit(String limit) {
    return new EngineOptions(Optional.of(limit), threads, tempDirectory);
  }

  public EngineOptions withThreads(int n) {
    return new EngineOptions(memoryLimit, n, tempDirectory);
  }
}
