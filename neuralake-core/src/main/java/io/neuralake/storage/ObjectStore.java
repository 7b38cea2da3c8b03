package io.neuralake.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one seam between Neuralake and storage: every table type and the Delta integration read and
 * write through it. Implementations are thread-safe.
 *
 * <p>{@link #putIfAbsent} is the primitive the Delta commit protocol depends on: it must be atomic,
 * so that of many concurrent writers of one key exactly one succeeds.
 */
public interface ObjectStore extends AutoCloseable {

  /** Metadata of an object, or empty if it does not exist. */
  Optional<ObjectInfo> head(Location location) throws IOException;

  /** Every object under a folder, recursively, in key order. */
  List<ObjectInfo> list(Location folder) throws IOException;

  /** One level under a folder: its objects and sub-folders. */
  Listing listLevel(Location folder) throws IOException;

  /**
   * The objects in the same folder as {@code file} whose names sort at or after its name (the
   * file need not exist), in name order: how a Delta log is read from a version on.
   */
  default List<ObjectInfo> listFrom(Location file) throws IOException {
    String name = file.name();
    String parent = file.key().substring(0, file.key().length() - name.length());
    Listing level = listLevel(new Location(file.scheme(), file.bucket(), parent));
    return level.objects().stream().filter(o -> o.location().name().compareTo(name) >= 0)
        .sorted(java.util.Comparator.comparing(o -> o.location().name())).toList();
  }

  /** The whole object. */
  byte[] get(Location location) throws IOException;

  /** {@code length} bytes from {@code offset} (fewer at the end of the object). */
  byte[] getRange(Location location, long offset, int length) throws IOException;

  /** Writes (or replaces) an object atomically: readers see the old or the new content, never a part. */
  void put(Location location, byte[] content) throws IOException;

  /** Uploads a local file to the location (multipart where the store supports it). */
  void putFile(Location location, Path file) throws IOException;

  /**
   * Puts a local file that is no longer needed at the location, as {@link #putFile} does, and
   * deletes the local file. Stores on the file's own file system rename it instead of copying its
   * bytes (a writer's finished data files: written once, not twice).
   */
  default void moveFile(Location location, Path file) throws IOException {
    putFile(location, file);
    java.nio.file.Files.delete(file);
  }

  /** Writes the object only if no object exists at that key; returns false if one did. */
  boolean putIfAbsent(Location location, byte[] content) throws IOException;

  /** Deletes an object; deleting a missing object is not an error. */
  void delete(Location location) throws IOException;

  /**
   * A local file with the object's bytes, for the engine to read: the file itself for local
   * stores, a cached copy for remote ones. The object must not change while it is in use; data
   * files and log entries of a lake never do.
   */
  Path localFile(ObjectInfo object) throws IOException;

  /**
   * A local file with the object's bytes if there is one already (the file itself for local stores,
   * a complete cached copy for remote ones), without fetching anything.
   */
  default Optional<Path> localCopy(ObjectInfo object) throws IOException {
    return Optional.empty();
  }

  /** Local files for several objects; remote stores fetch them in parallel. */
  default List<Path> localFiles(List<ObjectInfo> objects) throws IOException {
    List<Path> out = new java.util.ArrayList<>(objects.size());
    for (ObjectInfo o : objects) {
      out.add(localFile(o));
    }
    return out;
  }

  /**
   * Which storage this store reaches, as a key for caches of table state (Delta snapshots, commit
   * queues, listings): two stores of equal identity see the same objects, two of different identity
   * never share such state even for equal paths. The default is this instance alone.
   */
  default String identity() {
    return getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(this));
  }

  /** Counters of the calls made, for tests and explain output. */
  StoreMetrics metrics();

  @Override
  default void close() throws IOException {}
}
