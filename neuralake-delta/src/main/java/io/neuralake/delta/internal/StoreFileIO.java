package io.neuralake.delta.internal;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Delta Kernel's file system, made of Neuralake's object stores: Kernel reads the log, checkpoints
 * and deletion vectors through it, and commits through {@link OutputFile#writeAtomically}, which
 * is the store's put-if-absent. Immutable files (commits, checkpoints, sidecars, deletion vectors)
 * are read from the shared file cache; mutable ones ({@code _last_checkpoint}) are always fetched.
 *
 * <p>Never Hadoop's FileSystem: it needs {@code Subject.getSubject}, which JDK 24+ refuses.
 */
public final class StoreFileIO implements FileIO {
  /** Files the Delta protocol never rewrites under the same name. */
  private static final Pattern IMMUTABLE = Pattern.compile(
      ".*/_delta_log/(\\d{20}\\.(json|crc|checkpoint\\.parquet|checkpoint\\.\\d+\\.\\d+\\.parquet|checkpoint\\.[0-9a-f-]+\\.(json|parquet))"
          + "|\\d{20}\\.\\d{20}\\.compacted\\.json|_sidecars/.+|_staged_commits/.+)"
          + "|.*\\.parquet|.*deletion_vector_[0-9a-f-]+\\.bin");

  private final Storage storage;

  public StoreFileIO(Storage storage) {
    this.storage = storage;
  }

  static Location location(String path) {
    return Location.parse(path);
  }

  private ObjectStore store(Location l) {
    return storage.storeFor(l);
  }

  /**
   * The spelling Kernel (through Hadoop's Path) uses and compares paths in: {@code file:/abs/path}
   * or {@code s3://bucket/key}, not escaped.
   */
  public static String qualified(Location l) {
    return l.isLocal() ? "file:" + l.path() : l.toString();
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    Location file = location(filePath);
    List<ObjectInfo> found = store(file).listFrom(file);
    if (found.isEmpty()) {
      String parent = file.key().substring(0, file.key().length() - file.name().length());
      Location folder = new Location(file.scheme(), file.bucket(), parent);
      if (file.isLocal() ? !Files.isDirectory(folder.path()) : store(folder).listLevel(folder).objects().isEmpty()) {
        throw new FileNotFoundException("no such folder: " + folder);
      }
    }
    Iterator<ObjectInfo> it = found.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public FileStatus next() {
        ObjectInfo o = it.next();
        return FileStatus.of(qualified(o.location()), o.size(), o.lastModified() == null ? 0 : o.lastModified().toEpochMilli());
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    Location l = location(path);
    ObjectInfo o = store(l).head(l).orElseThrow(() -> new FileNotFoundException("no such file: " + l));
    return FileStatus.of(qualified(l), o.size(), o.lastModified() == null ? 0 : o.lastModified().toEpochMilli());
  }

  @Override
  public String resolvePath(String path) {
    return qualified(location(path));
  }

  @Override
  public boolean mkdirs(String path) throws IOException {
    Location l = location(path);
    if (l.isLocal()) {
      Files.createDirectories(l.path());
    }
    return true; // object stores have no folders
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    Location l = location(path);
    return new InputFile() {
      @Override
      public long length() {
        return fileSize;
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        ObjectStore store = store(l);
        if (LastCheckpointFile.is(l)) {
          return new BytesSeekableStream(LastCheckpointFile.checked(l, fetch(store, l)));
        }
        if (l.isLocal() || IMMUTABLE.matcher(l.key()).matches()) {
          // Kernel names some files by path alone (a checksum it expects), with size 0: look it up
          long size = fileSize > 0 ? fileSize : store.head(l).orElseThrow(() -> new FileNotFoundException("no such file: " + l)).size();
          Path local = store.localFile(new ObjectInfo(l, size, Instant.EPOCH, ""));
          if (!Files.exists(local)) {
            throw new FileNotFoundException("no such file: " + l);
          }
          return new LocalSeekableStream(local);
        }
        return new BytesSeekableStream(fetch(store, l));
      }
    };
  }

  /** A small mutable file, whole; absent is Kernel's FileNotFoundException (anything else it retries). */
  private static byte[] fetch(ObjectStore store, Location l) throws IOException {
    try {
      return store.get(l);
    } catch (NoSuchFileException | StorageException e) {
      if (e instanceof StorageException s && !s.notFound()) {
        throw e;
      }
      throw (FileNotFoundException) new FileNotFoundException(e.getMessage()).initCause(e);
    }
  }

  @Override
  public OutputFile newOutputFile(String path) {
    Location l = location(path);
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean atomicWrite) throws IOException {
        ObjectStore store = store(l);
        return new BufferedOutput(bytes -> store.put(l, bytes));
      }

      /** Commits go through here: without overwrite it is the store's atomic put-if-absent. */
      @Override
      public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (data) {
          while (data.hasNext()) {
            out.write(data.next().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
          }
        }
        ObjectStore store = store(l);
        if (overwrite) {
          store.put(l, out.toByteArray());
        } else if (!store.putIfAbsent(l, out.toByteArray())) {
          throw new FileAlreadyExistsException(path);
        }
      }
    };
  }

  @Override
  public boolean delete(String path) throws IOException {
    Location l = location(path);
    store(l).delete(l);
    return true;
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return Optional.empty();
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) throws IOException {
    Location src = location(srcPath);
    Location dst = location(destPath);
    byte[] bytes = store(src).get(src);
    if (overwrite) {
      store(dst).put(dst, bytes);
    } else if (!store(dst).putIfAbsent(dst, bytes)) {
      throw new FileAlreadyExistsException(destPath);
    }
  }

  /** A local (or cached) file, read with random access. */
  private static final class LocalSeekableStream extends SeekableInputStream {
    private final RandomAccessFile file;

    LocalSeekableStream(Path path) throws IOException {
      this.file = new RandomAccessFile(path.toFile(), "r");
    }

    @Override
    public int read() throws IOException {
      return file.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return file.read(b, off, len);
    }

    @Override
    public long getPos() throws IOException {
      return file.getFilePointer();
    }

    @Override
    public void seek(long newPos) throws IOException {
      file.seek(newPos);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      file.readFully(b, off, len);
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  /** A small mutable file, fetched whole. */
  private static final class BytesSeekableStream extends SeekableInputStream {
    private final byte[] bytes;
    private int pos;

    BytesSeekableStream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(len, bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) {
      pos = (int) newPos;
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      if (pos + len > bytes.length) {
        throw new EOFException();
      }
      System.arraycopy(bytes, pos, b, off, len);
      pos += len;
    }
  }

  /** Buffers a written file and stores it whole on close (stores write objects atomically). */
  private static final class BufferedOutput extends PositionOutputStream {
    interface Sink {
      void accept(byte[] bytes) throws IOException;
    }

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Sink sink;
    private boolean closed;

    BufferedOutput(Sink sink) {
      this.sink = sink;
    }

    @Override
    public void write(int b) {
      buffer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buffer.write(b, off, len);
    }

    @Override
    public long getPos() {
      return buffer.size();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        sink.accept(buffer.toByteArray());
      }
    }
  }
}
