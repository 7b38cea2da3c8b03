package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.QueryService;
import io.neuralake.types.Field;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Streams one query's result as DataRow messages, batch by batch as the engine produces them, in
 * the text or binary format asked per column; can stop after a number of rows and go on later
 * (a portal's Execute with a row limit).
 */
final class PgResultWriter implements AutoCloseable {
  private final Query query;
  private final List<String> names = new ArrayList<>();
  private final List<PgType> types = new ArrayList<>();
  private final List<Integer> typmods = new ArrayList<>();
  private final List<Integer> formats;
  private QueryService.Result result;
  private VectorSchemaRoot root;
  private int row;
  private long rows;
  private boolean closed;

  /** {@code naming}: the names clients are shown for the engine's column names. */
  PgResultWriter(Query query, UnaryOperator<List<String>> naming, List<Integer> requestedFormats) {
    this.query = query;
    for (Field f : query.schema().fields()) {
      names.add(f.name());
      types.add(PgType.of(f.type()));
      typmods.add(PgType.typmod(f.type()));
    }
    List<String> shown = naming.apply(List.copyOf(names));
    names.clear();
    names.addAll(shown);
    this.formats = formats(requestedFormats, names.size());
  }

  Query query() {
    return query;
  }

  private static List<Integer> formats(List<Integer> requested, int columns) {
    List<Integer> f = new ArrayList<>();
    for (int i = 0; i < columns; i++) {
      f.add(requested.isEmpty() ? 0 : requested.size() == 1 ? requested.get(0) : i < requested.size() ? requested.get(i) : 0);
    }
    return f;
  }

  void describe(PgOut out) throws IOException {
    rowDescription(out, names, types, typmods, formats);
  }

  static void rowDescription(PgOut out, List<String> names, List<PgType> types, List<Integer> typmods,
      List<Integer> formats) throws IOException {
    out.begin('T').int16(names.size());
    for (int i = 0; i < names.size(); i++) {
      out.cstring(names.get(i)).int32(0).int16(0).int32(types.get(i).oid).int16(types.get(i).size)
          .int32(typmods.get(i)).int16(i < formats.size() ? formats.get(i) : 0);
    }
    out.end();
  }

  void open(QueryService service, Principal who, String what) {
    result = service.open(who, "pg", what, query);
  }

  /** Sends rows; true when the result is complete (CommandComplete sent, closed), false when suspended. */
  boolean send(PgOut out, int maxRows) throws IOException {
    try {
      ArrowReader reader = result.reader();
      long sentNow = 0;
      while (true) {
        if (root == null || row >= root.getRowCount()) {
          if (!reader.loadNextBatch()) {
            break;
          }
          root = reader.getVectorSchemaRoot();
          row = 0;
          continue;
        }
        if (maxRows > 0 && sentNow == maxRows) {
          out.begin('s').end();
          return false;
        }
        int before = out.pending();
        dataRow(out, root.getFieldVectors(), row++);
        rows++;
        sentNow++;
        result.sent(1, Math.max(0, out.pending() - before));
      }
      out.begin('C').cstring("SELECT " + rows).end();
      close();
      return true;
    } catch (IOException | RuntimeException e) {
      if (result != null) {
        result.failed(e);
      }
      close();
      throw e;
    }
  }

  private void dataRow(PgOut out, List<FieldVector> vectors, int r) throws IOException {
    out.begin('D').int16(vectors.size());
    for (int c = 0; c < vectors.size(); c++) {
      Object v = PgValues.read(vectors.get(c), r);
      if (v == null) {
        out.int32(-1);
        continue;
      }
      byte[] b = formats.get(c) == 1 ? PgValues.binary(v, types.get(c)) : PgValues.text(v).getBytes(UTF_8);
      out.int32(b.length).bytes(b);
    }
    out.end();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (result != null) {
        result.close();
      }
    } finally {
      query.close();
    }
  }
}
