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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * How compiled SQL reads table scans without planning having fetched anything. Compiling a scan
 * declares a view of the scan's columns with no rows, typed from the plan alone (a table's
 * metadata), so schemas and explain output never open a data file. {@link #prepare} — the one step
 * between compiling and running a query — makes the files of exactly those scans local (through the
 * cache, in parallel) and registers their Arrow streams, and redefines each view to read them.
 */
public final class ScanInputs {
  private ScanInputs() {}

  /** A scan of the session's compiled SQL: the view it reads through, its table and its plan. */
  static final class Input {
    private final String view;
    private final String table;
    private final ScanPlan plan;
    private boolean prepared;

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

  /** Declares a scan on the session and returns SQL reading it (no rows until {@link #prepare}). */
  static String declare(Session session, String table, ScanPlan plan) {
    String view = session.newName("scan");
    String empty = switch (plan) {
      case ScanPlan.Files files -> FileScanSql.empty(files);
      case ScanPlan.OfArrow arrow -> FileScanSql.empty(arrow.schema());
      case ScanPlan.OfFrame frame -> throw new IllegalArgumentException("a frame is compiled, not declared");
    };
    session.execute("CREATE TEMP VIEW " + view + " AS " + empty);
    session.scans().add(new Input(view, table, plan));
    return "SELECT * FROM " + view;
  }

  /**
   * Makes every scan declared on the session readable: each scan's files local (fetched in
   * parallel through the cache; a local table's own files as they are) and Arrow streams opened.
   * Call it just before running the session's SQL; scans already prepared are left as they are.
   */
  public static void prepare(Session session) {
    for (Input scan : List.copyOf(session.scans())) {
      if (scan.prepared) {
        continue;
      }
      String sql = switch (scan.plan()) {
        case ScanPlan.Files files -> files(session, scan.table(), files);
        case ScanPlan.OfArrow arrow -> arrow(session, scan, arrow);
        case ScanPlan.OfFrame frame -> throw new IllegalStateException("a frame is compiled, not declared");
      };
      session.execute("CREATE OR REPLACE TEMP VIEW " + scan.view() + " AS " + sql);
      scan.prepared = true;
    }
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
      throw new NeuralakeException(ErrorCode.INTERNAL, "table " + scan.table() + ": its Arrow source failed to open: "
          + e.getMessage(), e);
    }
    session.closeWithSession(reader);
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
