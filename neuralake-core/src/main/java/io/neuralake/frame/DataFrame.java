package io.neuralake.frame;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.Engine;
import io.neuralake.internal.arrow.ArrowTypes;
import io.neuralake.internal.arrow.ArrowValues;
import io.neuralake.internal.arrow.BatchReader;
import io.neuralake.internal.arrow.JavaTypes;
import io.neuralake.internal.arrow.RowMapper;
import io.neuralake.internal.arrow.VectorWriter;
import io.neuralake.internal.engine.FrameMemory;
import io.neuralake.internal.format.TablePrinter;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.lang.reflect.RecordComponent;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * A collected result: rows held in Arrow columnar buffers (off the Java heap, no object per row).
 * Printing shows a boxed table as polars does; values are read per cell, column or row on demand.
 *
 * <p>A data frame owns native memory. Close it when done (try-with-resources); one that is not
 * closed is freed when it is garbage collected.
 */
public final class DataFrame implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final Schema schema;
  private final Buffers buffers;
  private final Cleaner.Cleanable cleanable;
  private final long rowCount;

  private DataFrame(Schema schema, List<VectorSchemaRoot> batches, BufferAllocator allocator) {
    this.schema = requireNonNull(schema, "schema");
    this.buffers = new Buffers(List.copyOf(batches), allocator);
    this.cleanable = CLEANER.register(this, buffers);
    this.rowCount = batches.stream().mapToLong(VectorSchemaRoot::getRowCount).sum();
  }

  /** Wraps Arrow batches; the frame takes ownership of them and of their allocator. */
  public static DataFrame ofArrow(Schema schema, List<VectorSchemaRoot> batches, BufferAllocator allocator) {
    return new DataFrame(schema, batches, allocator);
  }

  /**
   * A frame from columns of Java values, types inferred from the values. Column order is the
   * map's order when it has one (LinkedHashMap, TreeMap); otherwise ({@code Map.of}) by name.
   */
  public static DataFrame fromColumns(Map<String, ? extends List<?>> columns) {
    Map<String, ? extends List<?>> ordered = columns instanceof SequencedMap<?, ?> ? columns : new TreeMap<>(columns);
    List<Field> fields = new ArrayList<>();
    List<List<?>> values = new ArrayList<>();
    for (Map.Entry<String, ? extends List<?>> e : ordered.entrySet()) {
      fields.add(Field.of(e.getKey(), JavaTypes.infer(e.getKey(), e.getValue())));
      values.add(e.getValue());
    }
    return fromColumns(new Schema(fields), values);
  }

  /** A frame of the given schema from columns of Java values (one list per field). */
  public static DataFrame fromColumns(Schema schema, List<? extends List<?>> columns) {
    if (columns.size() != schema.size()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "the schema has " + schema.size() + " columns but " + columns.size() + " were given");
    }
    int rows = columns.isEmpty() ? 0 : columns.get(0).size();
    for (int c = 0; c < columns.size(); c++) {
      if (columns.get(c).size() != rows) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
            "column '" + schema.fields().get(c).name() + "' has " + columns.get(c).size()
            + " values but column '" + schema.fields().get(0).name() + "' has " + rows + "; columns must be equally long");
      }
    }
    BufferAllocator allocator = newAllocator();
    VectorSchemaRoot root = VectorSchemaRoot.create(ArrowTypes.toArrow(schema), allocator);
    try {
      root.allocateNew();
      for (int c = 0; c < columns.size(); c++) {
        FieldVector v = root.getVector(c);
        List<?> col = columns.get(c);
        for (int r = 0; r < rows; r++) {
          VectorWriter.set(v, r, col.get(r));
        }
        v.setValueCount(rows);
      }
      root.setRowCount(rows);
    } catch (RuntimeException e) {
      root.close();
      allocator.close();
      throw e;
    }
    return new DataFrame(schema, List.of(root), allocator);
  }

  /** A frame from rows given as maps of column name to value; columns in first-seen order. */
  public static DataFrame fromRows(List<? extends Map<String, ?>> rows) {
    Set<String> names = new LinkedHashSet<>();
    rows.forEach(r -> names.addAll(r.keySet()));
    Map<String, List<Object>> columns = new LinkedHashMap<>();
    for (String n : names) {
      List<Object> values = new ArrayList<>(rows.size());
      rows.forEach(r -> values.add(r.get(n)));
      columns.put(n, values);
    }
    return fromColumns(columns);
  }

  /** A frame from Java records: one column per record component, typed from the component. */
  public static <R extends Record> DataFrame fromRecords(Class<R> type, List<R> records) {
    List<Field> fields = new ArrayList<>();
    List<List<?>> columns = new ArrayList<>();
    for (RecordComponent rc : type.getRecordComponents()) {
      fields.add(new Field(rc.getName(), JavaTypes.ofClass(rc.getName(), rc.getType()), !rc.getType().isPrimitive(), ""));
      List<Object> values = new ArrayList<>(records.size());
      for (R r : records) {
        try {
          values.add(rc.getAccessor().invoke(r));
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException("cannot read " + type.getSimpleName() + "." + rc.getName() + ": " + e, e);
        }
      }
      columns.add(values);
    }
    return fromColumns(new Schema(fields), columns);
  }

  private static BufferAllocator newAllocator() {
    return FrameMemory.newAllocator(Engine.shared().allocator());
  }

  public Schema schema() {
    return schema;
  }

  public long rowCount() {
    return rowCount;
  }

  public int columnCount() {
    return schema.size();
  }

  public List<String> columnNames() {
    return schema.names();
  }

  /** The values of one column, in row order. */
  public List<Object> column(String name) {
    int index = indexOf(name);
    List<Object> out = new ArrayList<>((int) Math.min(rowCount, Integer.MAX_VALUE));
    for (VectorSchemaRoot b : batches()) {
      FieldVector v = b.getVector(index);
      for (int i = 0; i < b.getRowCount(); i++) {
        out.add(ArrowValues.get(v, i));
      }
    }
    return out;
  }

  /** One cell. */
  public Object get(long row, String column) {
    int index = indexOf(column);
    if (row < 0 || row >= rowCount) {
      throw new IndexOutOfBoundsException("row " + row + " of a frame with " + rowCount + " rows");
    }
    long offset = row;
    for (VectorSchemaRoot b : batches()) {
      if (offset < b.getRowCount()) {
        return ArrowValues.get(b.getVector(index), (int) offset);
      }
      offset -= b.getRowCount();
    }
    throw new IllegalStateException("unreachable");
  }

  /** All rows as maps of column name to value (use for small results). */
  public List<Map<String, Object>> rows() {
    List<Map<String, Object>> out = new ArrayList<>((int) Math.min(rowCount, Integer.MAX_VALUE));
    for (VectorSchemaRoot b : batches()) {
      List<FieldVector> vectors = b.getFieldVectors();
      for (int i = 0; i < b.getRowCount(); i++) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (FieldVector v : vectors) {
          row.put(v.getName(), ArrowValues.get(v, i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** All rows as records, matching record components to columns by name. */
  public <R extends Record> List<R> rowsAs(Class<R> type) {
    RowMapper<R> mapper = new RowMapper<>(type, schema);
    List<R> out = new ArrayList<>();
    for (Map<String, Object> row : rows()) {
      out.add(mapper.map(row));
    }
    return out;
  }

  /** The Arrow batches (read-only; owned by this frame, valid until it is closed). */
  public List<VectorSchemaRoot> arrowBatches() {
    return Collections.unmodifiableList(batches());
  }

  /** A reader over the batches, for Arrow consumers; it shares this frame's buffers. */
  public ArrowReader arrowReader(BufferAllocator allocator) {
    return new BatchReader(allocator, ArrowTypes.toArrow(schema), batches());
  }

  /** Writes the rows in the Arrow IPC stream format. */
  public void writeArrowIpc(OutputStream out) {
    try (ArrowReader reader = arrowReader(buffers.allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(reader.getVectorSchemaRoot(), null, Channels.newChannel(out))) {
      writer.start();
      while (reader.loadNextBatch()) {
        writer.writeBatch();
      }
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Back to a lazy frame, to query this data further. */
  public Frame lazy() {
    return Frame.of(this);
  }

  public void writeParquet(Path file) {
    lazy().writeParquet(file);
  }

  public void writeCsv(Path file) {
    lazy().writeCsv(file);
  }

  /** Newline-delimited JSON: one object per row. */
  public void writeJson(Path file) {
    lazy().writeJson(file);
  }

  /** A boxed table, truncated like polars: the first and last 5 rows, 8 columns at most. */
  @Override
  public String toString() {
    return TablePrinter.render(this, 10, 8);
  }

  /** A boxed table with your own limits on rows and columns shown. */
  public String toString(int maxRows, int maxColumns) {
    return TablePrinter.render(this, maxRows, maxColumns);
  }

  @Override
  public void close() {
    cleanable.clean();
  }

  private List<VectorSchemaRoot> batches() {
    if (buffers.closed) {
      throw new IllegalStateException("this DataFrame was closed; its data is gone");
    }
    return buffers.batches;
  }

  private int indexOf(String name) {
    List<String> names = schema.names();
    int i = names.indexOf(name);
    if (i < 0) {
      throw new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND,
          "unknown column '" + name + "'; the columns are: " + String.join(", ", names));
    }
    return i;
  }

  /** The native memory, released exactly once: by close() or when the frame becomes unreachable. */
  private static final class Buffers implements Runnable {
    final List<VectorSchemaRoot> batches;
    final BufferAllocator allocator;
    volatile boolean closed;

    Buffers(List<VectorSchemaRoot> batches, BufferAllocator allocator) {
      this.batches = batches;
      this.allocator = allocator;
    }

    @Override
    public void run() {
      closed = true;
      batches.forEach(VectorSchemaRoot::close);
      allocator.close();
    }
  }
}
