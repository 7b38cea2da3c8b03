package io.neuralake.jdbc.internal;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.types.DataType;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps a query's result metadata (PostgreSQL's type names first, else the JDBC type) to our types,
 * without reading a row. A type we cannot read is an error naming the column and the way out.
 */
public final class RemoteTypes {
  /** Read as their text form: comparisons on them stay in the engine. */
  private static final Set<String> AS_TEXT = Set.of("json", "jsonb", "uuid");

  private RemoteTypes() {}

  public static List<RemoteColumn> columns(String table, ResultSetMetaData meta) throws SQLException {
    List<RemoteColumn> out = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String name = meta.getColumnLabel(i);
      String remote = meta.getColumnTypeName(i).toLowerCase(Locale.ROOT);
      DataType type = type(table, name, remote, meta.getColumnType(i), meta.getPrecision(i), meta.getScale(i));
      boolean comparable = !AS_TEXT.contains(remote) && !remote.equals("bpchar") && !remote.equals("bytea")
          && !(type instanceof DataType.ListType);
      out.add(new RemoteColumn(name, type, remote, comparable));
    }
    return out;
  }

  static DataType type(String table, String column, String remote, int jdbcType, int precision, int scale) {
    if (remote.startsWith("_")) {
      DataType element = element(remote.substring(1));
      if (element == null) {
        throw unsupported(table, column, "an array of " + remote.substring(1));
      }
      return DataType.list(element);
    }
    DataType named = element(remote);
    if (named != null) {
      return named;
    }
    return switch (remote) {
      case "numeric", "decimal" -> decimal(table, column, precision, scale);
      case "json", "jsonb", "uuid", "bpchar", "name", "citext" -> DataType.STRING;
      case "bytea" -> DataType.BINARY;
      case "time" -> DataType.TIME;
      case "timestamp" -> DataType.TIMESTAMP;
      case "timestamptz" -> DataType.TIMESTAMP_TZ;
      default -> byJdbcType(table, column, remote, jdbcType, precision, scale);
    };
  }

  /** The types that can also be list elements. */
  private static DataType element(String remote) {
    return switch (remote) {
      case "int2" -> DataType.INT16;
      case "int4" -> DataType.INT32;
      case "int8" -> DataType.INT64;
      case "float4" -> DataType.FLOAT32;
      case "float8" -> DataType.FLOAT64;
      case "bool" -> DataType.BOOLEAN;
      case "text", "varchar" -> DataType.STRING;
      case "date" -> DataType.DATE;
      default -> null;
    };
  }

  /** Databases other than PostgreSQL, by their JDBC type. */
  private static DataType byJdbcType(String table, String column, String remote, int jdbcType, int precision,
      int scale) {
    return switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT -> DataType.INT16;
      case Types.INTEGER -> DataType.INT32;
      case Types.BIGINT -> DataType.INT64;
      case Types.REAL -> DataType.FLOAT32;
      case Types.FLOAT, Types.DOUBLE -> DataType.FLOAT64;
      case Types.NUMERIC, Types.DECIMAL -> decimal(table, column, precision, scale);
      case Types.BIT, Types.BOOLEAN -> DataType.BOOLEAN;
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
          Types.CLOB -> DataType.STRING;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> DataType.BINARY;
      case Types.DATE -> DataType.DATE;
      case Types.TIME -> DataType.TIME;
      case Types.TIMESTAMP -> DataType.TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE -> DataType.TIMESTAMP_TZ;
      default -> throw unsupported(table, column, "of type " + remote);
    };
  }

  private static DataType decimal(String table, String column, int precision, int scale) {
    if (precision < 1 || precision > 38) {
      throw unsupported(table, column, "a numeric without a precision of 1 to 38 digits (got " + precision + ")");
    }
    return DataType.decimal(precision, Math.max(0, scale));
  }

  private static NeuralakeException unsupported(String table, String column, String what) {
    return new NeuralakeException(ErrorCode.NOT_SUPPORTED, "table " + table + ": column '" + column + "' is " + what
        + ", which relational tables cannot read; declare the table with .sql(\"SELECT ... CAST(" + column
        + " AS text) ...\") (or another type we read) instead");
  }
}
