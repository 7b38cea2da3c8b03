package io.neuralake.jdbc.internal;

import io.neuralake.spi.ArrowVectors;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A remote query's rows as Arrow batches of up to {@code batchRows} rows, fetched from the
 * database as the engine asks for them: the driver holds one fetch (a cursor, on PostgreSQL, with
 * autocommit off) and the JVM one batch, so a table larger than memory streams through.
 */
public final class ResultSetReader extends ArrowReader {
  private final String table;
  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final List<RemoteColumn> columns;
  private final org.apache.arrow.vector.types.pojo.Schema schema;
  private final int batchRows;
  private long batches;
  private boolean done;

  /** Runs the query on {@code connection}, which the reader then owns (closing the reader returns it). */
  public ResultSetReader(BufferAllocator allocator, String table, Connection connection, RemoteQuery query,
      int fetchSize, java.time.Duration queryTimeout) throws SQLException {
    super(allocator);
    this.table = table;
    this.connection = connection;
    this.columns = query.columns();
    this.schema = ArrowVectors.schema(schemaOf(columns));
    this.batchRows = fetchSize;
    PreparedStatement st = null;
    try {
      connection.setAutoCommit(false); // PostgreSQL fetches by cursor only inside a transaction
      connection.setReadOnly(true);
      st = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      st.setFetchSize(fetchSize);
      st.setQueryTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, queryTimeout.toSeconds())));
      for (int i = 0; i < query.parameters().size(); i++) {
        st.setObject(i + 1, query.parameters().get(i));
      }
      this.statement = st;
      this.rows = st.executeQuery();
    } catch (SQLException | RuntimeException e) {
      closeQuietly(st);
      release(connection);
      throw e;
    }
  }

  /** Our schema of the columns, for the engine. */
  public static Schema schemaOf(List<RemoteColumn> columns) {
    return new Schema(columns.stream().map(c -> Field.of(c.name(), c.type())).toList());
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (done) {
      return false;
    }
    VectorSchemaRoot root = getVectorSchemaRoot();
    root.allocateNew();
    List<FieldVector> vectors = root.getFieldVectors();
    int n = 0;
    try {
      while (n < batchRows && rows.next()) {
        for (int c = 0; c < columns.size(); c++) {
          ArrowVectors.set(vectors.get(c), n, value(c + 1, columns.get(c).type()));
        }
        n++;
      }
    } catch (SQLException e) {
      throw new IOException("table " + table + ": reading rows from the database failed after " + batches
          + " batch(es): " + e.getMessage(), e);
    }
    if (n < batchRows) {
      done = true;
    }
    root.setRowCount(n);
    batches++;
    return n > 0;
  }

  private Object value(int i, DataType type) throws SQLException {
    if (type instanceof DataType.ListType list) {
      Array array = rows.getArray(i);
      if (array == null) {
        return null;
      }
      Object[] items = (Object[]) array.getArray();
      List<Object> out = new ArrayList<>(Arrays.asList(items));
      if (list.element().equals(DataType.DATE)) {
        out.replaceAll(v -> v instanceof java.sql.Date d ? d.toLocalDate() : v);
      }
      return out;
    }
    if (!(type instanceof DataType.Primitive p)) {
      return rows.getBigDecimal(i); // decimals: the only other type RemoteTypes gives
    }
    Object value = switch (p.kind()) {
      case DATE -> rows.getObject(i, LocalDate.class);
      case TIME -> rows.getObject(i, LocalTime.class);
      case TIMESTAMP -> rows.getObject(i, LocalDateTime.class);
      case TIMESTAMP_TZ -> rows.getObject(i, OffsetDateTime.class);
      case STRING -> rows.getString(i);
      case BINARY -> rows.getBytes(i);
      case BOOLEAN -> rows.getBoolean(i);
      case INT16 -> rows.getShort(i);
      case INT32 -> rows.getInt(i);
      case INT64 -> rows.getLong(i);
      case FLOAT32 -> rows.getFloat(i);
      case FLOAT64 -> rows.getDouble(i);
      default -> rows.getObject(i);
    };
    return rows.wasNull() ? null : value;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    closeQuietly(rows);
    closeQuietly(statement);
    release(connection);
  }

  /** Ends the read-only transaction and gives the connection back to its pool. */
  private static void release(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // a broken connection: closing it below lets the pool drop it
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // nothing to do: the read is over
      }
    }
  }

  @Override
  protected org.apache.arrow.vector.types.pojo.Schema readSchema() {
    return schema;
  }
}
