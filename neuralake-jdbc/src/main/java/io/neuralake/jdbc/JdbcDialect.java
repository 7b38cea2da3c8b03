package io.neuralake.jdbc;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Operator;
import io.neuralake.jdbc.internal.AnsiDialect;
import io.neuralake.jdbc.internal.PostgresDialect;
import io.neuralake.types.DataType;
import java.util.List;

/**
 * How a relational table's remote query is written for one kind of database: identifiers, typed
 * parameters, the filters it can apply with the engine's meaning, and a row limit. Values are never
 * written into the text: a condition receives its values as typed {@code ?} parameters. A condition
 * the dialect cannot write with the engine's meaning (text order under a collation, a float's NaN, a
 * substring match read as a pattern) must be left out, returning {@code null}: the engine applies
 * every filter to what comes back, so a filter left out costs rows, never correctness.
 *
 * <p>A table picks {@link #postgres()} for {@code jdbc:postgresql:} URLs and {@link #ansi()} for
 * any other; {@link JdbcTable.Builder#dialect(JdbcDialect)} sets another.
 */
public interface JdbcDialect {
  /** PostgreSQL: every comparison (text in byte order by {@code COLLATE "C"}), {@code contains}, {@code includes}. */
  static JdbcDialect postgres() {
    return PostgresDialect.INSTANCE;
  }

  /**
   * Standard SQL, for databases without a dialect of their own (tested on H2): comparisons of
   * integers, decimals, booleans, dates and times; text only for {@code =}, {@code !=}, {@code in},
   * {@code not in} and {@code contains} (by {@code POSITION}), as the database's text order need not
   * be the engine's byte order; no float and no list filter. It assumes text equality is exact (case
   * and trailing spaces count), as in H2, SQLite, PostgreSQL and Oracle; for a database whose default
   * collation ignores case, give a dialect that leaves text out.
   */
  static JdbcDialect ansi() {
    return AnsiDialect.INSTANCE;
  }

  /** The dialect a table with this URL uses unless told otherwise: {@code jdbc:postgresql:} is PostgreSQL, else ANSI. */
  static JdbcDialect forUrl(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:postgresql:") ? postgres() : ansi();
  }

  /** A short name for plans and messages, e.g. {@code postgres}. */
  String name();

  /** An identifier, quoted so that no name can end the quoting: standard SQL's double quotes, doubled inside. */
  default String quote(String identifier) {
    if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "'" + identifier.replace("\0", "\\0")
          + "' is not a valid identifier for a relational table (empty, or holds a NUL character)");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * The type a parameter compared with a column of {@code type} is cast to ({@code CAST(? AS name)}),
   * so the database compares values as the engine types its literals; {@code null} when no filter
   * on such a column can be pushed.
   */
  String castType(DataType type);

  /**
   * The condition {@code column operator values}, or {@code null} when this database cannot apply
   * it with the engine's meaning.
   *
   * @param operator the filter's operator
   * @param column the column, quoted
   * @param type the column's type (a list for {@code includes}: its parameters are of the element type)
   * @param parameters one {@code CAST(? AS ...)} per value, in order: one, or the items of {@code in} and
   *     {@code not in}
   */
  String condition(Operator operator, String column, DataType type, List<String> parameters);

  /** {@code select} returning at most {@code rows} rows: standard SQL's {@code FETCH FIRST n ROWS ONLY}. */
  default String limit(String select, long rows) {
    return select + " FETCH FIRST " + rows + " ROWS ONLY";
  }
}
