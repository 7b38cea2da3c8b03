package io.neuralake.server.internal.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named pipe (FIFO) in a private temporary folder: a path that a writer which only knows paths
 * (the engine's {@code COPY ... TO}) writes to while this process reads it, with nothing on disk.
 * Java cannot make one itself, so {@code mkfifo} does; where there is none (Windows) there is no pipe.
 */
final class NamedPipe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NamedPipe.class);
  private static volatile boolean unavailable;

  private final Path folder;
  private final Path path;

  private NamedPipe(Path folder, Path path) {
    this.folder = folder;
    this.path = path;
  }

  /** A new pipe named {@code name}, or empty when this system cannot make one (the reason is logged once). */
  static Optional<NamedPipe> create(String name) {
    if (unavailable) {
      return Optional.empty();
    }
    Path folder = null;
    try {
      folder = Files.createTempDirectory("neuralake-pipe-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path path = folder.resolve(name);
      Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("mkfifo did not finish within 10 s");
      }
      String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IOException("mkfifo failed: " + said);
      }
      return Optional.of(new NamedPipe(folder, path));
    } catch (IOException | UnsupportedOperationException e) {
      unavailable = true;
      LOG.info("no named pipes on this system ({}): Parquet responses are written to a temporary file first", e.toString());
      delete(folder);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      delete(folder);
      return Optional.empty();
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("cannot delete the named pipe {}: {}", path, e.toString());
    }
    delete(folder);
  }

  private static void delete(Path folder) {
    if (folder != null) {
      try {
        Files.deleteIfExists(folder);
      } catch (IOException e) {
        LOG.warn("cannot delete the temporary folder {}: {}", folder, e.toString());
      }
    }
  }
}
