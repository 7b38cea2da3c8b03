package io.neuralake.jdbc.internal;

import io.neuralake.jdbc.JdbcDialect;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relational table read in parallel by ranges of one column: when the read runs, one small query
 * finds the column's minimum and maximum under the read's filters, the span between them is split
 * into ranges ({@link RangeSplit}), and a {@link ParallelReader} runs one query per range.
 */
public final class RangeReads {
  private static final Logger LOG = LoggerFactory.getLogger(RangeReads.class);

  private RangeReads() {}

  /** The partition column among the table's columns, or an error naming the table and the column. */
  public static RemoteColumn column(JdbcDialect dialect, String table, String column, List<RemoteColumn> columns) {
    RemoteColumn found = columns.stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow(() ->
        new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND, "table " + table + ": its partition column '" + column
            + "' is not one of its columns (" + columns.stream().map(RemoteColumn::name)
                .collect(Collectors.joining(", ")) + "); fix .partitionColumn(...)"));
    if (!RangeSplit.splittable(found.type()) || dialect.castType(found.type()) == null) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "table " + table + ": its partition column '" + column
          + "' is of type " + found.remoteType() + " (" + found.type().typeName() + "); ranges split integers, dates"
          + " and timestamps: choose such a column in .partitionColumn(...)");
    }
    return found;
  }

  /** For explain output: how the read is split. */
  public static String notes(JdbcDialect dialect, RemoteColumn column, int partitions) {
    return "; read in parallel in up to " + partitions + " ranges of " + dialect.quote(column.name())
        + " between its min and max under the pushed filters (found when the read runs): "
        + RangeQueries.condition(dialect, column, 0, partitions) + ", "
        + RangeQueries.condition(dialect, column, 1, partitions)
        + ", ..., " + RangeQueries.condition(dialect, column, partitions - 1, partitions);
  }

  /**
   * Finds the bounds and starts the range queries.
   *
   * @param span the read's filters over the column alone, for its minimum and maximum
   * @param read the read's query, which returns {@code column} among its columns
   * @param output the columns the stream returns
   */
  public static ArrowReader open(BufferAllocator allocator, RangeSource source, RemoteQuery span, RemoteQuery read,
      RemoteColumn column, int partitions, List<RemoteColumn> output) {
    List<RemoteQuery> queries = RangeQueries.ranges(read, column, bounds(source, span, column, partitions), output);
    return new ParallelReader(allocator, source, queries,
        io.neuralake.spi.ArrowVectors.schema(ResultSetReader.schemaOf(output)));
  }

  /**
   * The bounds between up to {@code partitions} ranges of {@code column} (see {@link RangeSplit#bounds}),
   * from its minimum and maximum under the read's filters ({@code span}), found by one query.
   */
  public static List<Object> bounds(RangeSource source, RemoteQuery span, RemoteColumn column, int partitions) {
    Object[] ends = minMax(source, RangeQueries.minMax(span, column), column.type());
    List<Object> bounds = RangeSplit.bounds(column.type(), ends[0], ends[1], partitions);
    LOG.debug("table {}: {} range(s) of {} from {} to {}, bounds {}", source.table(), bounds.size() + 1,
        column.name(), ends[0], ends[1], bounds);
    return bounds;
  }

  private static Object[] minMax(RangeSource source, RemoteQuery query, DataType type) {
    try (Connection c = source.connect();
        PreparedStatement st = c.prepareStatement(query.sql())) {
      st.setQueryTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, source.queryTimeout().toSeconds())));
      for (int i = 0; i < query.parameters().size(); i++) {
        st.setObject(i + 1, query.parameters().get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new Object[] {value(rs, 1, type), value(rs, 2, type)};
      }
    } catch (SQLException e) {
      throw source.failed(e);
    }
  }

  private static Object value(ResultSet rs, int i, DataType type) throws SQLException {
    Object v;
    if (type.equals(DataType.DATE)) {
      v = rs.getObject(i, LocalDate.class);
    } else if (type.equals(DataType.TIMESTAMP)) {
      v = rs.getObject(i, LocalDateTime.class);
    } else if (type.equals(DataType.TIMESTAMP_TZ)) {
      v = rs.getObject(i, OffsetDateTime.class);
    } else {
      v = rs.getLong(i);
    }
    return rs.wasNull() ? null : v;
  }
}
