package io.neuralake.spi;

import static java.util.Objects.requireNonNull;

import io.neuralake.internal.AtomicFiles;
import io.neuralake.internal.TemporaryFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Files that appear whole or not at all, and the process's temporary files. */
public final class FileWrites {
  private FileWrites() {}

  /** Writes a file's content into a temporary path. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path temporary) throws IOException;
  }

  /** Writes {@code target} through a temporary sibling renamed over it when complete. */
  public static void write(Path target, Content content) {
    requireNonNull(content, "content");
    AtomicFiles.write(target, content::writeTo);
  }

  /** Writes the content to a temporary file, then copies it to {@code out} (nothing on failure). */
  public static void writeTo(OutputStream out, String suffix, Content content) {
    requireNonNull(content, "content");
    AtomicFiles.writeTo(out, suffix, content::writeTo);
  }

  /** Deletes the temporary files this process is writing (before halting, which skips shutdown hooks). */
  public static void deleteTemporaryFiles() {
    TemporaryFiles.deleteInFlight();
  }
}
