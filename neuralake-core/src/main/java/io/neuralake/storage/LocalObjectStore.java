package io.neuralake.storage;

import io.neuralake.internal.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Objects as files on the local disk. Writes go to a temporary file renamed into place. */
public final class LocalObjectStore implements ObjectStore {
  private final StoreMetrics metrics = new StoreMetrics();

  /** Every local store reaches the same files. */
  @Override
  public String identity() {
    return "file";
  }

  @Override
  public Optional<ObjectInfo> head(Location location) throws IOException {
    Path p = location.path();
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    return Optional.of(info(location, Files.readAttributes(p, BasicFileAttributes.class)));
  }

  @Override
  public List<ObjectInfo> list(Location folder) throws IOException {
    Path root = folder.path();
    List<ObjectInfo> out = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.comparing(Path::toString))::iterator) {
          BasicFileAttributes attrs = attributes(p);
          if (attrs != null && attrs.isRegularFile()) {
            out.add(info(Location.ofPath(p), attrs));
          }
        }
      }
    }
    metrics.recordList(out.size());
    return out;
  }

  @Override
  public Listing listLevel(Location folder) throws IOException {
    Path root = folder.path();
    List<ObjectInfo> objects = new ArrayList<>();
    List<Location> folders = new ArrayList<>();
    if (Files.isDirectory(root)) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
        ds.forEach(children::add);
      }
      children.sort(Comparator.comparing(Path::toString));
      for (Path p : children) {
        BasicFileAttributes attrs = attributes(p);
        if (attrs == null) {
          continue;
        }
        if (attrs.isDirectory()) {
          folders.add(Location.ofPath(p).asFolder());
        } else if (attrs.isRegularFile()) {
          objects.add(info(Location.ofPath(p), attrs));
        }
      }
    }
    metrics.recordList(objects.size() + folders.size());
    return new Listing(objects, folders);
  }

  @Override
  public byte[] get(Location location) throws IOException {
    try {
      byte[] bytes = Files.readAllBytes(location.path());
      metrics.recordGet(bytes.length);
      return bytes;
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(location.toString(), null, "no such file");
    }
  }

  @Override
  public byte[] getRange(Location location, long offset, int length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(location.path().toFile(), "r")) {
      long available = Math.max(0, f.length() - offset);
      byte[] out = new byte[(int) Math.min(length, available)];
      f.seek(offset);
      f.readFully(out);
      metrics.recordGet(out.length);
      return out;
    }
  }

  @Override
  public void put(Location location, byte[] content) throws IOException {
    writeAtomically(location.path(), tmp -> Files.write(tmp, content));
  }

  @Override
  public void putFile(Location location, Path file) throws IOException {
    writeAtomically(location.path(), tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
  }

  /** A rename where the file is on the store's file system: readers see the whole file or none. */
  @Override
  public void moveFile(Location location, Path file) throws IOException {
    Path target = location.path();
    Files.createDirectories(target.getParent());
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      ObjectStore.super.moveFile(location, file); // another file system: copied, then deleted
      return;
    }
    metrics.recordPut();
  }

  private void writeAtomically(Path target, AtomicFiles.Writer writer) throws IOException {
    try {
      AtomicFiles.write(target, writer);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    metrics.recordPut();
  }

  /**
   * Atomic create: the content is written to a temporary file which is then hard-linked to the
   * target name. A link fails if the name exists, and readers never see a partly written file.
   */
  @Override
  public boolean putIfAbsent(Location location, byte[] content) throws IOException {
    Path target = location.path();
    Path tmp = writeTemp(target, content);
    try {
      Files.createLink(target, tmp);
      metrics.recordPut();
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void delete(Location location) throws IOException {
    Files.deleteIfExists(location.path());
  }

  @Override
  public Path localFile(ObjectInfo object) {
    return object.location().path();
  }

  @Override
  public Optional<Path> localCopy(ObjectInfo object) {
    return Optional.of(object.location().path());
  }

  @Override
  public StoreMetrics metrics() {
    return metrics;
  }

  /**
   * A file's attributes, or null for our own in-flight temporary files and for files deleted
   * between the listing and the look (a concurrent writer's temporary file, a vacuumed file).
   */
  private static BasicFileAttributes attributes(Path p) throws IOException {
    if (AtomicFiles.isTemporary(p)) {
      return null;
    }
    try {
      return Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  private static Path writeTemp(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = AtomicFiles.temporarySibling(target);
    Files.write(tmp, content);
    return tmp;
  }

  /**
   * The ETag: size and modification time, and the file's identity (its inode where the file system
   * has one). Every put renames a new file into place, so two writes of the same size within one
   * clock tick still get different tags.
   */
  private static ObjectInfo info(Location location, BasicFileAttributes attrs) {
    Object fileKey = attrs.fileKey();
    String identity = fileKey == null ? "" : "-" + Integer.toHexString(fileKey.hashCode());
    return new ObjectInfo(location, attrs.size(), attrs.lastModifiedTime().toInstant(),
        Long.toHexString(attrs.size()) + "-" + Long.toHexString(attrs.lastModifiedTime().toMillis()) + identity);
  }
}
