package io.neuralake.engine;

import static java.util.Objects.requireNonNull;

import io.neuralake.internal.engine.FileScanSql;
import io.neuralake.internal.engine.Session;
import io.neuralake.internal.engine.Sessions;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded execution engine: one in-process DuckDB database plus the Arrow memory results
 * live in. Queries run on their own connections, so one engine serves many threads.
 *
 * <p>Most code never touches it: catalogs and frames use {@link #shared()}, configured from the
 * environment. Create one explicitly to bound memory or threads differently.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static volatile Engine shared;

  private final EngineOptions options;
  private final DuckDBConnection root;
  private final BufferAllocator allocator;
  /** The spill folder, when the engine made it (and so removes it on close). */
  private final Optional<Path> ownSpillFolder;

  private Engine(EngineOptions options) {
    this.options = requireNonNull(options, "options");
    this.ownSpillFolder = options.tempDirectory().isPresent() ? Optional.empty() : Optional.of(newSpillFolder());
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      this.root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
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
      }
    } catch (SQLException | ClassNotFoundException e) {
      ownSpillFolder.ifPresent(Engine::delete);
      throw new IllegalStateException("could not start the embedded engine (DuckDB): " + e.getMessage(), e);
    }
    this.allocator = new RootAllocator(Long.MAX_VALUE);
    LOG.debug("engine started: {}", options);
  }

  /** An engine of its own, e.g. with a tighter memory limit. Close it when done. */
  public static Engine create(EngineOptions options) {
    return new Engine(options);
  }

  /** The process-wide engine, configured from the environment, created on first use. */
  public static Engine shared() {
    Engine e = shared;
    if (e == null) {
      synchronized (Engine.class) {
        e = shared;
        if (e == null) {
          e = new Engine(EngineOptions.fromEnvironment());
          shared = e;
          // the shared engine lives as long as the process: its spill folder goes at exit
          e.ownSpillFolder.ifPresent(f -> Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(f))));
        }
      }
    }
    return e;
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
    try {
      return new Session(this, (DuckDBConnection) root.duplicate());
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

  @Override
  public void close() {
    try {
      root.close();
    } catch (SQLException e) {
      LOG.warn("closing the engine: {}", e.getMessage());
    }
    allocator.close();
    ownSpillFolder.ifPresent(Engine::delete);
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
