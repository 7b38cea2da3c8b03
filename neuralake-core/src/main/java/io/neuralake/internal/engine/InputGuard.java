package io.neuralake.internal.engine;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Keeps a query from writing its result over a file it reads. */
final class InputGuard {
  private InputGuard() {}

  /**
   * Compares files, not names: a symbolic link, a relative path or a hard link to a table's file
   * is the same file. A target that does not exist yet cannot be one.
   */
  static void refuseToOverwrite(Path target, Map<Path, String> filesRead) {
    if (!Files.exists(target)) {
      return;
    }
    for (Map.Entry<Path, String> read : filesRead.entrySet()) {
      if (sameFile(target, read.getKey())) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "will not write the result to " + target + ": it is "
            + (target.toAbsolutePath().normalize().equals(read.getKey().toAbsolutePath().normalize()) ? "" : read.getKey() + ", ")
            + "a data file of table " + read.getValue() + ", which this query reads; writing it would replace the"
            + " table's data. Write to another file.");
      }
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false; // unreadable or gone: it cannot be the target
    }
  }
}
