package io.neuralake.engine;

import static java.util.Objects.requireNonNull;

import io.neuralake.internal.engine.EngineMemo;
import io.neuralake.internal.engine.FileScanSql;
import io.neuralake.internal.engine.FrameMemory;
import io.neuralake.internal.engine.Session;
import io.neuralake.internal.engine.Sessions;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded execution engine: one in-process DuckDB database plus the Arrow memory results
 * live in. Queries run on their own connections, so one engine serves many threads.
 *
 * <p>Most code never touches it: a {@link LakeRuntime} owns one (catalogs and frames use the
 * default runtime's, {@link #shared()}, configured from the environment). Create one explicitly to
 * bound memory or threads differently.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  /**
   * Arrow memory of every engine in the process, one root on purpose (not per runtime): a frame
   * built in one engine's memory may be read by another's query, and Arrow moves buffers only
   * between allocators of one root. Each engine's results live in a child of its own, whose
   * closing still reports what was leaked.
   */
  private static final RootAllocator ARROW = new RootAllocator(Long.MAX_VALUE);
  private static final AtomicInteger ENGINES = new AtomicInteger();

  private final EngineOptions options;
  private final DuckDBConnection root;
  private final BufferAllocator allocator;
  /** Parse trees and file columns remembered between this engine's queries. */
  private final EngineMemo memo = new EngineMemo();
  /** The spill folder, when the engine made it (and so removes it on close). */
  private final Optional<Path> ownSpillFolder;
  private volatile boolean closed;

  private Engine(EngineOptions options) {
    this.options = requireNonNull(options, "options");
    this.ownSpillFolder = options.tempDirectory().isPresent() ? Optional.empty() : Optional.of(newSpillFolder());
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      // streamed results: a query's rows are produced as its reader asks for them, so a result larger than memory
      // flows through (DuckDB's JDBC default materializes every result before the first batch); each session is a
      // duplicate of this connection and inherits it, and runs one statement at a time
      java.util.Properties properties = new java.util.Properties();
      properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
      this.root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
      try (Statement s = root.createStatement()) {
        if (options.threads() > 0) {
          s.execute("SET threads = " + options.threads());
        }
        if (options.memoryLimit().isPresent()) {
          s.execute("SET memory_limit = " + SqlLiterals.string(options.memoryLimit().get()));
        }
        // DuckDB's default is .tmp in the working directory, which litters whatever folder the user is in
        Path spill = options.tempDirectory().or(() -> ownSpillFolder).orElseThrow();
        s.execute("SET temp_directory = " + SqlLiterals.string(spill.toAbsolutePath().toString()));
        // results travel as Arrow; plain (not view) strings are what every Arrow consumer reads
        s.execute("SET produce_arrow_string_view = false");
        // instants are UTC everywhere (Delta's timestamps, our literals), whatever the machine's zone
        s.execute("SET TimeZone = 'UTC'");
        if (options.sandboxed()) {
          lockDown(s, options.allowedFolders());
        }
      }
    } catch (SQLException | ClassNotFoundException e) {
      ownSpillFolder.ifPresent(Engine::delete);
      throw new IllegalStateException("could not start the embedded engine (DuckDB): " + e.getMessage(), e);
    }
    this.allocator = ARROW.newChildAllocator("engine-" + ENGINES.incrementAndGet(), 0, Long.MAX_VALUE);
    LOG.debug("engine started: {}", options);
  }

  /**
   * Locks the database down; the order matters: folders are allowed before external access is
   * turned off (DuckDB refuses to change them after), and the configuration is locked last. The
   * spill folder stays usable: DuckDB allows its temporary directory itself.
   */
  private static void lockDown(Statement s, List<Path> folders) throws SQLException {
    s.execute("SET autoinstall_known_extensions = false");
    s.execute("SET autoload_known_extensions = false");
    s.execute("SET allow_community_extensions = false");
    s.execute("SET allow_unsigned_extensions = false");
    List<String> allowed = new ArrayList<>();
    for (Path folder : folders) {
      allowed.add(SqlLiterals.string(asPrefix(folder)));
      // files may be named through the folder's real path too (a symbolic link such as macOS's /tmp)
      try {
        Path real = folder.toRealPath();
        if (!real.equals(folder)) {
          allowed.add(SqlLiterals.string(asPrefix(real)));
        }
      } catch (IOException e) {
        // a folder that does not exist yet (a cache not yet filled) is allowed by its given path
      }
    }
    s.execute("SET allowed_directories = [" + String.join(", ", allowed) + "]");
    s.execute("SET enable_external_access = false");
    s.execute("SET lock_configuration = true");
  }

  /** A folder as a path prefix that matches only what is inside it ({@code /a/b/}, never {@code /a/bc}). */
  private static String asPrefix(Path folder) {
    String p = folder.toAbsolutePath().normalize().toString();
    return p.endsWith(java.io.File.separator) ? p : p + java.io.File.separator;
  }

  /** An engine of its own, e.g. with a tighter memory limit. Close it when done. */
  public static Engine create(EngineOptions options) {
    return new Engine(options);
  }

  /**
   * The default runtime's engine ({@link LakeRuntime#defaults()}), configured from the environment
   * and created on first use; it closes, and its spill folder goes, when the process exits.
   */
  public static Engine shared() {
    return LakeRuntime.defaults().engine();
  }

  public EngineOptions options() {
    return options;
  }

  /** Arrow memory of results. */
  public BufferAllocator allocator() {
    return allocator;
  }

  static {
    Sessions.register(Engine::openSession);
  }

  /** A session for one query: its own connection, whose temporary objects vanish with it (internals: {@link Sessions}). */
  private Session openSession() {
    if (closed) {
      throw LakeRuntime.closedError("run a query: the engine is closed");
    }
    try {
      return new Session(this, (DuckDBConnection) root.duplicate(), memo);
    } catch (SQLException e) {
      throw new IllegalStateException("could not open an engine connection: " + e.getMessage(), e);
    }
  }

  /** The schema of a SELECT, without running it. */
  public Schema schemaOf(String sql) {
    try (Session s = openSession()) {
      return s.describe(sql);
    }
  }

  /** The columns of Parquet files (union by name), read from their footers. */
  public Schema parquetSchema(List<Path> files) {
    return schemaOf("SELECT * FROM read_parquet(" + SqlLiterals.filePaths(files) + ", " + FileScanSql.READ_OPTIONS + ")");
  }

  /** Closes the engine and removes its own spill folder; later queries fail. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      try {
        root.close();
      } catch (SQLException e) {
        LOG.warn("closing the engine: {}", e.getMessage());
      }
      List<BufferAllocator> open = List.copyOf(allocator.getChildAllocators());
      if (!open.isEmpty() && open.stream().allMatch(FrameMemory::isFrame)) {
        // frames the program did not close (a function table's, say): their cleaners free them when they are
        // collected, and at exit their memory goes with the process; they are not leaks, and may still be read
        LOG.debug("the engine closes with {} frame(s) not closed; each is freed when collected", open.size());
      } else {
        allocator.close(); // throws if results are still open: a leak
      }
    } finally {
      ownSpillFolder.ifPresent(Engine::delete);
    }
  }

  /** A folder of this engine's own under the system's temporary folder, for data that spills. */
  private static Path newSpillFolder() {
    try {
      return Files.createTempDirectory("neuralake-spill-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the engine's spill folder under " + System.getProperty("java.io.tmpdir")
          + " (" + e.getMessage() + "); set NEURALAKE_TEMP_DIR to a writable folder", e);
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not remove the engine's spill folder {}: {}", folder, e.toString());
    }
  }
}
