package io.neuralake.internal.engine;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.Engine;
import io.neuralake.engine.QueryException;
import io.neuralake.frame.DataFrame;
import io.neuralake.internal.AtomicFiles;
import io.neuralake.internal.arrow.ArrowTypes;
import io.neuralake.internal.arrow.BatchReader;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.query.QueryLimits;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.duckdb.DuckDBConnection;

/**
 * One query's connection to the engine. In-memory frames are registered here as temporary tables
 * and disappear when the session closes, so concurrent queries never see each other's data.
 */
public final class Session implements AutoCloseable {
  private final Engine engine;
  private final DuckDBConnection connection;
  private final EngineMemo memo;
  private final Map<List<DataFrame>, String> registered = new HashMap<>();
  private final Map<String, Schema> described = new HashMap<>();
  /** Local paths of the files the session's queries read, as the engine names them: table and source. */
  private final Map<String, FileOrigin> files = new HashMap<>();

  private record FileOrigin(String table, String source, String local) {}
  /** The scans the session's compiled SQL reads, in the order they were declared. */
  private final List<ScanInputs.Input> scans = new ArrayList<>();
  /** What the session's queries read from until it closes (Arrow streams the engine scans). */
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicReference<Throwable> sourceFailure =
      new java.util.concurrent.atomic.AtomicReference<>();
  private int names;

  public Session(Engine engine, DuckDBConnection connection, EngineMemo memo) {
    this.engine = engine;
    this.connection = connection;
    this.memo = memo;
  }

  /** What the engine remembers between queries. */
  EngineMemo memo() {
    return memo;
  }

  public Engine engine() {
    return engine;
  }

  /** The session's connection, for statements the session has no method for. */
  public DuckDBConnection connection() {
    return connection;
  }

  /** A name unique within this session, for temporary tables and views. */
  public String newName(String prefix) {
    return "__nlk_" + prefix + "_" + (names++);
  }

  public void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** The scans declared on this session (see {@link ScanInputs}). */
  List<ScanInputs.Input> scans() {
    return scans;
  }

  /** Keeps the first error an Arrow source raised while the engine read it (from the engine's threads). */
  void sourceFailed(Throwable e) {
    sourceFailure.compareAndSet(null, e);
  }

  /** Closed with the session, after its connection: what a query reads from while it runs. */
  void closeWithSession(AutoCloseable resource) {
    resources.add(resource);
  }

  /**
   * The files in local folders that the session's compiled SQL reads, each with its table (remote
   * files are read from cached copies, which no result is ever written over).
   */
  public Map<Path, String> filesRead() {
    Map<Path, String> read = new LinkedHashMap<>();
    for (ScanInputs.Input scan : scans) {
      if (scan.plan() instanceof ScanPlan.Files f) {
        f.files().stream().filter(d -> d.location().isLocal()).forEach(d -> read.putIfAbsent(d.location().path(), scan.table()));
      }
    }
    return read;
  }

  /** Remembers which table and object each local copy belongs to, so the engine's errors about a file can say. */
  void noteFiles(String table, List<ScanPlan.DataFile> dataFiles, List<Path> local) {
    for (int i = 0; i < dataFiles.size(); i++) {
      FileOrigin origin = new FileOrigin(table, dataFiles.get(i).location().toString(), local.get(i).toString());
      files.put(local.get(i).toString(), origin);
      files.put(SqlLiterals.globEscaped(local.get(i)), origin);
    }
  }

  /**
   * The engine's error as a QueryException; one about a file the session read names the table and
   * the file where it lives (its URI, not the cache's copy) and what to do.
   */
  QueryException failure(Exception e) {
    Throwable source = sourceFailure.get();
    if (source != null) {
      // the engine's message quotes the source's error at best; the source's own names its table
      return new QueryException(source instanceof NeuralakeException n ? n.code() : ErrorCode.STORAGE_UNAVAILABLE,
          String.valueOf(source.getMessage()), source);
    }
    String detail = QueryException.engineMessage(e);
    for (Map.Entry<String, FileOrigin> f : files.entrySet()) {
      if (detail.contains(f.getKey())) {
        FileOrigin o = f.getValue();
        // the first line says what is wrong with the file; the rest quotes our generated SQL
        String shown = detail.replaceFirst(" LINE \\d+: .*", "").replace(f.getKey(), o.source());
        return new QueryException(EngineErrors.unreadableFile(e),
            "table " + o.table() + ": the file " + o.source() + " cannot be read (" + shown
            + "); it may be damaged, cut short or not Parquet: rewrite or remove it", e);
      }
    }
    return new QueryException("query failed: " + detail, e);
  }

  /** The name of a temporary table holding the frame's rows (registered once per session). */
  public String register(DataFrame frame) {
    return register(List.of(frame));
  }

  /**
   * The name of a temporary table holding the rows of frames of one schema, registered once per
   * session. The frames' Arrow buffers go to the engine by reference (C data interface); the
   * table is a copy because a stream can be scanned only once and a query may read it twice.
   */
  public String register(List<DataFrame> frames) {
    // DataFrame keeps Object's equality, so the list is keyed by the frames' identities
    List<DataFrame> key = List.copyOf(frames);
    String existing = registered.get(key);
    if (existing != null) {
      return existing;
    }
    String name = newName("data");
    List<VectorSchemaRoot> batches = new ArrayList<>();
    frames.forEach(f -> batches.addAll(f.arrowBatches()));
    // buffers are shared with the reader by reference, which Arrow allows only within one root:
    // the frames' (data built in Java lives in the shared engine's), whichever engine runs the query
    BufferAllocator allocator = batches.stream().flatMap(b -> b.getFieldVectors().stream()).findFirst()
        .map(v -> v.getAllocator().getRoot()).orElse(engine.allocator());
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
        ArrowReader reader = new BatchReader(allocator, ArrowTypes.toArrow(frames.get(0).schema()), batches)) {
      Data.exportArrayStream(allocator, reader, stream);
      connection.registerArrowStream(name + "_stream", stream);
      execute("CREATE TEMP TABLE " + name + " AS SELECT * FROM " + name + "_stream");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registered.put(key, name);
    return name;
  }

  /** The schema of a SELECT, from the engine's binder: no rows are read. */
  public Schema describe(String sql) {
    // a session's relations never change shape, so a query's schema is asked of the engine once
    return described.computeIfAbsent(sql, this::describeNow);
  }

  private Schema describeNow(String sql) {
    ScanInputs.declarePending(this, sql);
    List<Field> fields = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + sql)) {
      while (rs.next()) {
        String name = rs.getString("column_name");
        String type = rs.getString("column_type");
        fields.add(Field.of(name, parseType(type)));
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    return new Schema(fields);
  }

  /** Runs a query and keeps its result as Arrow batches: its stream, without limits, drained. */
  public DataFrame collect(String sql) {
    return collect(sql, s -> {});
  }

  /** {@link #collect(String)}; {@code started} sees the execution first, so it can be stopped. */
  DataFrame collect(String sql, Consumer<ResultStream> started) {
    BufferAllocator allocator = FrameMemory.newAllocator(engine.allocator());
    try (ResultStream stream = ResultStream.start(this, sql, QueryLimits.none(), allocator, false, started)) {
      return drain(stream, allocator);
    } catch (IOException | RuntimeException e) {
      allocator.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw failure(e);
    }
  }

  /**
   * Streams a query's result (see {@link ResultStream}); {@code started} sees the stream before the
   * engine starts, so it can be stopped from another thread while the query executes.
   */
  ResultStream stream(String sql, QueryLimits limits, BufferAllocator allocator, Consumer<ResultStream> started) {
    return ResultStream.start(this, sql, limits, allocator, true, started);
  }

  /** The stream's batches, kept in {@code allocator} (the stream's, or one it shares a root with). */
  private static DataFrame drain(ArrowReader stream, BufferAllocator allocator) throws IOException {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      org.apache.arrow.vector.types.pojo.Schema arrowSchema = stream.getVectorSchemaRoot().getSchema();
      while (stream.loadNextBatch()) {
        VectorSchemaRoot source = stream.getVectorSchemaRoot();
        if (source.getRowCount() == 0) {
          continue;
        }
        VectorSchemaRoot copy = VectorSchemaRoot.create(arrowSchema, allocator);
        try (ArrowRecordBatch batch = new VectorUnloader(source).getRecordBatch()) {
          new VectorLoader(copy).load(batch);
        }
        batches.add(copy);
      }
      return DataFrame.ofArrow(ArrowTypes.toSchema(arrowSchema), batches, allocator);
    } catch (IOException | RuntimeException e) {
      batches.forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  /**
   * Writes a query's result to a file without bringing it into the JVM. The file appears only
   * when complete (written beside it, then renamed), so a failed write leaves nothing behind.
   */
  public void copyTo(String sql, Path out, String format) {
    String options = switch (format.toLowerCase(Locale.ROOT)) {
      case "parquet" -> "FORMAT parquet, COMPRESSION zstd";
      // no comment character: '#' in values would otherwise be quoted
      case "csv" -> "FORMAT csv, HEADER true, COMMENT ''";
      case "json" -> "FORMAT json";
      default -> throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "unknown output format '" + format + "'; use parquet, csv or json");
    };
    AtomicFiles.write(out, tmp -> execute("COPY (" + sql + ") TO " + SqlLiterals.string(tmp.toString()) + " (" + options + ")"));
  }

  private static DataType parseType(String engineType) {
    try {
      return DataType.parse(engineType);
    } catch (IllegalArgumentException e) {
      return DataType.other(engineType);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw QueryException.of("closing a session", e);
    } finally {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          org.slf4j.LoggerFactory.getLogger(Session.class).warn("closing a stream a query read: {}", e.toString());
        }
      }
      resources.clear();
    }
  }
}
