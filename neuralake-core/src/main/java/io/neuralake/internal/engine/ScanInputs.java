package io.neuralake.internal.engine;

import static io.neuralake.types.Identifiers.quote;
import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.arrow.ArrowTypes;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * How compiled SQL reads table scans without planning having fetched anything. Compiling a scan
 * names a view for it and nothing more. If the engine must type a query before it runs (schemas,
 * a projection over a scan), {@link #declarePending} defines the views it reads with no rows,
 * typed from the plan alone (a table's metadata), so schemas never open a data file.
 * {@link #prepare} — the one step between compiling and running a query — makes the files of
 * exactly those scans local (through the cache, in parallel), registers their Arrow streams, and
 * puts the query reading each scan in place of its view in the SQL that runs: a query that is only
 * run costs the engine no statement per scan.
 */
public final class ScanInputs {
  /** A scan's view in compiled SQL ({@code \b}: never a prefix of another name, such as its stream's). */
  private static final Pattern VIEW_NAME = Pattern.compile("\\b__nlk_scan_\\d+\\b");

  private ScanInputs() {}

  /** A scan of the session's compiled SQL: the view it reads through, its table and its plan. */
  static final class Input {
    private final String view;
    private final String table;
    private final ScanPlan plan;
    /** Whether the view (with no rows) exists on the session, for the engine to type queries over it. */
    private boolean declared;
    /** The query reading the scan's data, once prepared. */
    private String sql;

    Input(String view, String table, ScanPlan plan) {
      this.view = requireNonNull(view, "view");
      this.table = requireNonNull(table, "table");
      this.plan = requireNonNull(plan, "plan");
    }

    String view() {
      return view;
    }

    String table() {
      return table;
    }

    ScanPlan plan() {
      return plan;
    }
  }

  /** Names a scan's view on the session and returns SQL reading it (defined by {@link #prepare}). */
  static String declare(Session session, String table, ScanPlan plan) {
    if (plan instanceof ScanPlan.OfFrame) {
      throw new IllegalArgumentException("a frame is compiled, not declared");
    }
    String view = session.newName("scan");
    if (!VIEW_NAME.matcher(view).matches()) {
      throw new IllegalStateException("scan views are named " + VIEW_NAME + ", not " + view);
    }
    session.scans().add(new Input(view, table, plan));
    return "SELECT * FROM " + view;
  }

  /**
   * Defines, with no rows, the views of scans that {@code sql} reads and that are not defined yet,
   * so that the engine can type it. A name that merely contains another's defines both: harmless.
   */
  static void declarePending(Session session, String sql) {
    for (Input scan : session.scans()) {
      if (scan.declared || !sql.contains(scan.view())) {
        continue;
      }
      String empty = switch (scan.plan()) {
        case ScanPlan.Files files -> FileScanSql.empty(files);
        case ScanPlan.OfArrow arrow -> FileScanSql.empty(arrow.schema());
        case ScanPlan.OfFrame frame -> throw new IllegalStateException("a frame is compiled, not declared");
      };
      session.execute("CREATE TEMP VIEW " + scan.view() + " AS " + empty);
      scan.declared = true;
    }
  }

  /**
   * Makes every scan declared on the session readable — each scan's files local (fetched in
   * parallel through the cache; a local table's own files as they are), Arrow streams opened —
   * and returns {@code sql} reading them: each scan's view replaced by the query that reads its
   * data. Inlined rather than defined as views, the engine binds each scan (reads its footers)
   * once per query instead of twice. Call it just before running the session's SQL; scans
   * already prepared are reused.
   */
  public static String prepare(Session session, String sql) {
    Map<String, String> inputs = new HashMap<>();
    for (Input scan : List.copyOf(session.scans())) {
      if (scan.sql == null) {
        scan.sql = switch (scan.plan()) {
          case ScanPlan.Files files -> files(session, scan.table(), files);
          case ScanPlan.OfArrow arrow -> arrow(session, scan, arrow);
          case ScanPlan.OfFrame frame -> throw new IllegalStateException("a frame is compiled, not declared");
        };
      }
      inputs.put(scan.view(), scan.sql);
    }
    if (inputs.isEmpty()) {
      return sql;
    }
    // one pass, so a scan's own text is never searched again
    return VIEW_NAME.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(
        inputs.containsKey(m.group()) ? "(" + inputs.get(m.group()) + ")" : m.group()));
  }

  private static String files(Session session, String table, ScanPlan.Files plan) {
    List<Path> local;
    try {
      local = plan.store().localFiles(plan.files().stream().map(ScanPlan.DataFile::object).toList());
    } catch (IOException e) {
      throw new UncheckedIOException("table " + table + ": " + e.getMessage(), e);
    }
    session.noteFiles(table, plan.files(), local);
    return FileScanSql.build(plan, local, session);
  }

  /** The stream goes to the engine by reference and is read as the query runs; the session closes it. */
  private static String arrow(Session session, Input scan, ScanPlan.OfArrow plan) {
    ArrowReader reader;
    try {
      reader = requireNonNull(plan.reader().get(), "the reader supplier returned null");
    } catch (RuntimeException e) {
      // a source's own error keeps its code (a refused login, a timeout), so clients see what kind of failure it was
      ErrorCode code = e instanceof NeuralakeException n ? n.code() : ErrorCode.INTERNAL;
      throw new NeuralakeException(code, "table " + scan.table() + ": its Arrow source failed to open: "
          + e.getMessage(), e);
    }
    session.closeWithSession(reader);
    reader = new FailingSource(reader, session::sourceFailed);
    Schema given;
    VectorSchemaRoot root;
    try {
      root = reader.getVectorSchemaRoot();
      given = ArrowTypes.toSchema(root.getSchema());
    } catch (IOException e) {
      throw new UncheckedIOException("table " + scan.table() + ": its Arrow source has no schema: " + e.getMessage(), e);
    }
    Set<String> missing = new TreeSet<>(plan.schema().names());
    missing.removeAll(given.names());
    if (!missing.isEmpty()) {
      throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH, "table " + scan.table() + ": its Arrow source has no column(s) "
          + String.join(", ", missing) + " of the schema it promised; it has: " + String.join(", ", given.names()));
    }
    // exported with the allocator of the source's own buffers (Arrow refers to them, never copies)
    BufferAllocator allocator = root.getFieldVectors().isEmpty() ? session.engine().allocator()
        : root.getFieldVectors().get(0).getAllocator();
    ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
    session.closeWithSession(stream);
    Data.exportArrayStream(allocator, reader, stream);
    String name = scan.view() + "_stream";
    session.connection().registerArrowStream(name, stream);
    return "SELECT " + plan.schema().fields().stream()
        .map(f -> "CAST(" + quote(f.name()) + " AS " + f.type().sqlName() + ") AS " + quote(f.name()))
        .collect(Collectors.joining(", ")) + " FROM " + name;
  }

  /** One line per declared scan, for explain output: its view and what it will read. */
  static List<String> describe(Session session) {
    List<String> out = new ArrayList<>();
    for (Input scan : session.scans()) {
      out.add(scan.view() + " = " + switch (scan.plan()) {
        case ScanPlan.Files f -> "read_parquet over " + f.files().size() + " file(s) of " + scan.table() + ", "
            + f.bytes() + " bytes" + (f.files().isEmpty() ? "" : ": " + f.files().stream().limit(3)
                .map(d -> d.location().toString()).collect(Collectors.joining(", ")) + (f.files().size() > 3 ? ", ..." : ""));
        case ScanPlan.OfArrow a -> "an Arrow stream of " + scan.table() + " (" + a.schema().fields().stream()
            .map(Field::name).collect(Collectors.joining(", ")) + ")";
        case ScanPlan.OfFrame f -> "a frame";
      });
    }
    return out;
  }
}
