package io.neuralake.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writes a file so that it appears whole or not at all: the content goes to a hidden temporary
 * file beside the target, which is renamed over it when complete and removed if anything fails.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the file's content into a temporary path. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(Path temporary) throws IOException;
  }

  public static void write(Path target, Writer writer) {
    Path absolute = target.toAbsolutePath();
    Path tmp = temporarySibling(absolute);
    try {
      Files.createDirectories(absolute.getParent());
      writer.writeTo(tmp);
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + absolute + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the name is hidden and unique; nothing else will use it
      }
    }
  }

  private static final java.util.regex.Pattern TEMPORARY =
      java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

  /** Whether a path is one of the temporary files this class writes beside targets. */
  public static boolean isTemporary(Path path) {
    Path name = path.getFileName();
    return name != null && TEMPORARY.matcher(name.toString()).matches();
  }

  /** A hidden, unique name in the same folder (so the final rename stays on one file system). */
  public static Path temporarySibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }
}
