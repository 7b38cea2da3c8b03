package io.neuralake.jdbc.internal;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.core.Utils;

/**
 * A remote query with its {@code ?} parameters written in as literals, for {@code COPY}, which
 * takes no parameters. Safe by construction rather than by care:
 * <ul>
 *   <li>the {@code ?} are found by the driver's own parser (which skips quoted text, quoted
 *       identifiers, comments and dollar quotes), so they are the same ones a prepared statement binds;
 *   <li>each value is quoted by the driver's own {@link Utils#escapeLiteral}, for the connection's
 *       {@code standard_conforming_strings}, and refused if it holds a NUL;
 *   <li>only a {@code ?} written as {@code CAST(? AS type)} is replaced, so the literal's type is
 *       explicit and never inferred from the text;
 *   <li>only values whose text form PostgreSQL reads back exactly (numbers, booleans, text, dates
 *       and timestamps of years 1 to 9999) are written; for any other, there is no literal form and
 *       the read goes through the cursor, with bound parameters.
 * </ul>
 */
final class PgLiterals {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIMESTAMP_TZ = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");

  private PgLiterals() {}

  /** {@code sql} with {@code parameters} written in, or empty if one cannot be written exactly. */
  static Optional<String> inline(String sql, List<Object> parameters, boolean standardConformingStrings)
      throws SQLException {
    // what a prepared statement does to its text before binding: JDBC escapes, then the parse
    String processed = Parser.replaceProcessing(sql, true, standardConformingStrings);
    List<NativeQuery> parsed = Parser.parseJdbcSql(processed, standardConformingStrings, true, false, false, false);
    if (parsed.size() != 1) {
      return Optional.empty();
    }
    NativeQuery query = parsed.get(0);
    if (query.bindPositions.length != parameters.size()) {
      return Optional.empty();
    }
    String text = query.nativeSql;
    StringBuilder out = new StringBuilder(text.length() + 16 * parameters.size());
    int from = 0;
    for (int i = 0; i < parameters.size(); i++) {
      int at = query.bindPositions[i];
      String placeholder = NativeQuery.bindName(i + 1);
      if (!text.startsWith(placeholder, at) || !text.startsWith("CAST(", at - 5)
          || !text.startsWith(" AS ", at + placeholder.length())) {
        return Optional.empty();
      }
      Optional<String> literal = literal(parameters.get(i), standardConformingStrings);
      if (literal.isEmpty()) {
        return Optional.empty();
      }
      out.append(text, from, at).append(literal.get());
      from = at + placeholder.length();
    }
    return Optional.of(out.append(text, from, text.length()).toString());
  }

  /** A quoted literal of the value's exact text form, or empty if it has none we trust. */
  static Optional<String> literal(Object value, boolean standardConformingStrings) throws SQLException {
    String text = switch (value) {
      case String s -> s;
      case Boolean b -> b.toString();
      case Short n -> n.toString();
      case Integer n -> n.toString();
      case Long n -> n.toString();
      // the shortest text that reads back as the same value (PostgreSQL reads NaN and Infinity too)
      case Double d -> d.toString();
      case Float f -> f.toString();
      case BigDecimal d -> d.toPlainString();
      case LocalDate d -> plainYear(d.getYear()) ? d.toString() : null;
      case LocalTime t -> t.getNano() % 1000 == 0 ? t.toString() : null;
      case LocalDateTime t -> plainYear(t.getYear()) && t.getNano() % 1000 == 0 ? TIMESTAMP.format(t) : null;
      case OffsetDateTime t -> plainYear(t.getYear()) && t.getNano() % 1000 == 0 ? TIMESTAMP_TZ.format(t) : null;
      default -> null;
    };
    if (text == null) {
      return Optional.empty();
    }
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('\'');
    Utils.escapeLiteral(quoted, text, standardConformingStrings); // refuses a NUL
    return Optional.of(quoted.append('\'').toString());
  }

  /** Years PostgreSQL reads in ISO form as Java wrote them (no sign, four digits, not BC). */
  private static boolean plainYear(int year) {
    return year >= 1 && year <= 9999;
  }
}
