package io.neuralake.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it appears whole or not at all: the content goes to a hidden temporary
 * file beside the target, which is renamed over it when complete and removed if anything fails.
 *
 * <p>A rename replaces whatever has the name, so the target is looked at first: a symbolic link is
 * followed (its target is written, the link stays), and anything that exists but is not a regular
 * file (a FIFO, a device, a terminal) is written into, in place, from a temporary copy of the
 * content; renaming over it would replace the node and leave its reader waiting.
 */
public final class AtomicFiles {
  private static final int MAX_LINKS = 40;

  private AtomicFiles() {}

  /** Writes the file's content into a temporary path. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(Path temporary) throws IOException;
  }

  public static void write(Path target, Writer writer) {
    Path absolute = target.toAbsolutePath();
    try {
      Path resolved = followLinks(absolute);
      if (Files.isDirectory(resolved)) {
        throw new IOException("it is a folder; name a file");
      }
      if (Files.exists(resolved) && !Files.isRegularFile(resolved)) {
        try (OutputStream out = Files.newOutputStream(resolved, StandardOpenOption.WRITE)) {
          spool(resolved.getFileName().toString(), writer, out);
        }
        return;
      }
      replace(resolved, writer);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + absolute + ": " + describe(e), e);
    }
  }

  /**
   * Writes content that a writer can only put in a file (e.g. the engine's COPY) to a stream: into
   * a temporary file first, deleted afterwards and also if the process is interrupted.
   */
  public static void writeTo(OutputStream out, String suffix, Writer writer) {
    try {
      spool(suffix, writer, out);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the output: " + describe(e), e);
    }
  }

  private static void spool(String suffix, Writer writer, OutputStream out) throws IOException {
    Path tmp = TemporaryFiles.createInTempFolder("-" + suffix);
    try {
      writer.writeTo(tmp);
      Files.copy(tmp, out);
      out.flush();
    } finally {
      TemporaryFiles.release(tmp);
    }
  }

  private static void replace(Path target, Writer writer) throws IOException {
    Files.createDirectories(target.getParent());
    TemporaryFiles.sweep(target.getParent());
    Path tmp = TemporaryFiles.register(TemporaryFiles.sibling(target));
    try {
      writer.writeTo(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      TemporaryFiles.release(tmp);
    }
  }

  /** The path a chain of symbolic links ends at (which need not exist yet). */
  private static Path followLinks(Path path) throws IOException {
    Path p = path;
    for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
      p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
    }
    if (Files.isSymbolicLink(p)) {
      throw new IOException("more than " + MAX_LINKS + " symbolic links from " + path);
    }
    return p;
  }

  /** The operating system's reason (e.g. "No space left on device"), not just the path it names. */
  private static String describe(IOException e) {
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Whether a path is one of the temporary files written beside targets. */
  public static boolean isTemporary(Path path) {
    return TemporaryFiles.isTemporary(path);
  }

  /** A hidden, unique name in the same folder (so the final rename stays on one file system). */
  public static Path temporarySibling(Path target) {
    return TemporaryFiles.sibling(target);
  }
}
