package io.neuralake.engine;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.InvalidSettingException;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.Env;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the embedded engine may use the machine.
 *
 * @param memoryLimit the engine's memory limit in DuckDB's notation ({@code 4GB}, {@code 512MB}),
 *     or empty for DuckDB's default (80% of RAM); beyond it, operators spill to disk
 * @param threads worker threads, or 0 for one per core
 * @param tempDirectory where spilled data goes, or empty for a folder of the engine's own under the
 *     system's temporary folder, removed when the engine closes
 * @param sandboxed whether the engine is locked down for SQL from people it does not trust (a
 *     server's clients): it reads and writes files only under {@code allowedFolders} (and its spill
 *     folder), reaches nothing else outside the process, installs and loads no extensions, and its
 *     settings cannot change after start; catalog SQL is checked by a statement guard that accepts
 *     one read query over catalog tables and refuses the rest ({@code COPY}, {@code ATTACH},
 *     {@code SET}, {@code read_csv}, file paths as tables, ...) with {@code NOT_ALLOWED}
 * @param allowedFolders the folders a sandboxed engine may read: the file cache's folder and the
 *     folders of local lakes; ignored unless {@code sandboxed}
 */
public record EngineOptions(Optional<String> memoryLimit, int threads, Optional<Path> tempDirectory, boolean sandboxed,
    List<Path> allowedFolders) {
  public EngineOptions {
    requireNonNull(memoryLimit, "memoryLimit");
    requireNonNull(tempDirectory, "tempDirectory");
    allowedFolders = allowedFolders.stream().map(f -> f.toAbsolutePath().normalize()).toList();
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

  /** An open engine (not sandboxed): what the command line gives its local user. */
  public EngineOptions(Optional<String> memoryLimit, int threads, Optional<Path> tempDirectory) {
    this(memoryLimit, threads, tempDirectory, false, List.of());
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
    return new EngineOptions(Optional.of(limit), threads, tempDirectory, sandboxed, allowedFolders);
  }

  public EngineOptions withThreads(int n) {
    return new EngineOptions(memoryLimit, n, tempDirectory, sandboxed, allowedFolders);
  }

  /**
   * These options, locked down (see {@link #sandboxed()}): the engine may read files only under
   * these folders — give it the file cache's folder ({@code NEURALAKE_CACHE_DIR}) and the folders
   * of local lakes. They are fixed when the engine starts.
   */
  public EngineOptions locked(List<Path> readableFolders) {
    return new EngineOptions(memoryLimit, threads, tempDirectory, true, readableFolders);
  }

  /** {@link #locked(List)}. */
  public EngineOptions locked(Path... readableFolders) {
    return locked(List.of(readableFolders));
  }
}
