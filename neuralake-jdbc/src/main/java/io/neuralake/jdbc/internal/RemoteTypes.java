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
 * Maps a query's result metadata to our types, without reading a row: by the JDBC type first, which
 * every driver reports, and by the database's type name where the JDBC type is too coarse or wrong
 * (PostgreSQL reports {@code timestamptz} as a plain timestamp and arrays, json and uuid by name
 * only; H2 reports {@code UUID} as binary). A type we cannot read is an error naming the column and
 * the way out.
 */
public final class RemoteTypes {
  /** Read as their text form: comparisons on them stay in the engine. */
  private static final Set<String> AS_TEXT = Set.of("json", "jsonb", "uuid");
  /** Text whose remote comparison is not the engine's: blank-padded, or large objects some databases cannot compare. */
  private static final Set<Integer> UNCOMPARABLE = Set.of(Types.CHAR, Types.NCHAR, Types.CLOB, Types.NCLOB);

  private RemoteTypes() {}

  public static List<RemoteColumn> columns(String table, ResultSetMetaData meta) throws SQLException {
    List<RemoteColumn> out = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String name = meta.getColumnLabel(i);
      String remote = meta.getColumnTypeName(i).toLowerCase(Locale.ROOT);
      int jdbcType = meta.getColumnType(i);
      DataType type = type(table, name, remote, jdbcType, meta.getPrecision(i), meta.getScale(i));
      boolean comparable = !AS_TEXT.contains(remote) && !UNCOMPARABLE.contains(jdbcType)
          && !remote.equals("bpchar") && !(type instanceof DataType.ListType);
      out.add(new RemoteColumn(name, type, remote, comparable));
    }
    return out;
  }

  static DataType type(String table, String column, String remote, int jdbcType, int precision, int scale) {
    String elementName = arrayElement(remote, jdbcType);
    if (elementName != null) {
      DataType element = element(elementName);
      if (element == null) {
        throw unsupported(table, column, "an array of " + elementName);
      }
      return DataType.list(element);
    }
    return switch (remote) {
      case "timestamptz" -> DataType.TIMESTAMP_TZ;
      case "json", "jsonb", "uuid", "citext" -> DataType.STRING;
      case "timetz", "time with time zone" -> throw unsupported(table, column, "of type " + remote);
      default -> byJdbcType(table, column, remote, jdbcType, precision, scale);
    };
  }

  /** The element type's name of an array column (PostgreSQL's {@code _int4}, H2's {@code INTEGER ARRAY}), else null. */
  private static String arrayElement(String remote, int jdbcType) {
    if (remote.startsWith("_")) {
      return remote.substring(1);
    }
    if (jdbcType == Types.ARRAY) {
      String element = remote.endsWith(" array") ? remote.substring(0, remote.length() - " array".length()) : remote;
      return element.replaceAll("\\(.*\\)", ""); // H2 names the element with its length: character varying(10)
    }
    return null;
  }

  /** The types that can be list elements, by PostgreSQL's or the standard's name. */
  private static DataType element(String remote) {
    return switch (remote) {
      case "int2", "smallint" -> DataType.INT16;
      case "int4", "integer" -> DataType.INT32;
      case "int8", "bigint" -> DataType.INT64;
      case "float4", "real" -> DataType.FLOAT32;
      case "float8", "double precision" -> DataType.FLOAT64;
      case "bool", "boolean" -> DataType.BOOLEAN;
      case "text", "varchar", "character varying" -> DataType.STRING;
      case "date" -> DataType.DATE;
      default -> null;
    };
  }

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
          Types.CLOB, Types.NCLOB -> DataType.STRING;
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
