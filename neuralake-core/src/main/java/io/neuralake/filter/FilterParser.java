package io.neuralake.filter;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses filters written as text, {@code column op value}: the form used on the command line and
 * in {@code @Table(docsFilters = ...)}. A column is a word of letters (any script), digits and
 * {@code _}, or any name in double quotes ({@code "spike count"}, {@code ""} for a quote). Values:
 * {@code 'text'} or {@code "text"}, numbers, {@code true}/{@code false}, lists {@code [1, 2]} or
 * {@code (1, 2)}, or a bare word (text).
 */
final class FilterParser {
  private static final Pattern SHAPE = Pattern.compile(
      "^\\s*(\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_.]*)\\s*"
          // a word operator ends at the end of a word, so "includes any" is not read as "in" + "cludes any"
          + "(==|=|!=|<>|<=|>=|<|>|(?:not\\s+in|in|contains|includes\\s+any|includes\\s+all|includes)(?![\\p{L}\\p{N}_]))"
          // the value is stripped in code: a lazy group before "\\s*$" backtracks quadratically over long runs of spaces
          + "\\s*(.*)$",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private FilterParser() {}

  static Filter parse(String text) {
    Matcher m = SHAPE.matcher(text);
    String valueText = m.matches() ? m.group(3).strip() : "";
    if (valueText.isEmpty() || "<>=!".indexOf(valueText.charAt(0)) >= 0 || wordOperatorWithoutSpace(m, valueText, text)) {
      throw new NeuralakeException(ErrorCode.INVALID_FILTER,
          "cannot read the filter '" + text + "'; write it as \"column op value\", e.g."
          + " \"implant_id = 4595\", \"date in ['2024-04-27', '2024-04-28']\" or \"name contains 'abc'\"; operators: "
          + "=, !=, <, <=, >, >=, in, not in, contains, includes, includes any, includes all; put a column name with"
          + " spaces or other signs in double quotes, e.g. \"spike count\" > 3");
    }
    String column = m.group(1);
    if (column.startsWith("\"")) {
      column = column.substring(1, column.length() - 1).replace("\"\"", "\"");
    }
    Operator op = Operator.parse(m.group(2));
    Object value = new ValueReader(valueText, text).readAll();
    if (op.takesList() && !(value instanceof List<?>)) {
      value = List.of(value);
    }
    return new Filter(column, op, value);
  }

  /** "name = x" must not read as column "n", operator... a word operator needs space or a list after it. */
  private static boolean wordOperatorWithoutSpace(Matcher m, String valueText, String text) {
    boolean word = Character.isLetter(m.group(2).charAt(0));
    if (!word) {
      return false;
    }
    int after = m.end(2);
    boolean spaced = after < text.length() && Character.isWhitespace(text.charAt(after));
    boolean spacedBefore = m.start(2) > 0 && Character.isWhitespace(text.charAt(m.start(2) - 1));
    return !spacedBefore || !(spaced || valueText.startsWith("[") || valueText.startsWith("("));
  }

  /** A small recursive reader of literal values. */
  private static final class ValueReader {
    /** Lists of lists have uses (list columns); deeper nesting is a mistake or an attack on the stack. */
    private static final int MAX_NESTING = 32;

    private final String s;
    private final String whole;
    private int pos;
    private int depth;

    ValueReader(String s, String whole) {
      this.s = s;
      this.whole = whole;
    }

    Object readAll() {
      Object v = value();
      skip();
      if (pos != s.length()) {
        throw error("unexpected text after the value");
      }
      return v;
    }

    private Object value() {
      skip();
      if (pos >= s.length()) {
        throw error("a value is missing");
      }
      char c = s.charAt(pos);
      if (c == '[' || c == '(') {
        if (++depth > MAX_NESTING) {
          throw error("lists nest more than " + MAX_NESTING + " deep");
        }
        char close = c == '[' ? ']' : ')';
        pos++;
        List<Object> items = new ArrayList<>();
        skip();
        if (pos < s.length() && s.charAt(pos) == close) {
          pos++;
          depth--;
          return items;
        }
        while (true) {
          items.add(value());
          skip();
          if (pos < s.length() && s.charAt(pos) == ',') {
            pos++;
            continue;
          }
          if (pos < s.length() && s.charAt(pos) == close) {
            pos++;
            depth--;
            return items;
          }
          throw error("a list must end with " + close);
        }
      }
      if (c == '\'' || c == '"') {
        return quoted(c);
      }
      int start = pos;
      while (pos < s.length() && ",)]".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      String word = s.substring(start, pos).strip();
      if (word.isEmpty()) {
        throw error("a value is missing before '" + s.charAt(pos) + "' at position " + pos + " of '" + s + "'");
      }
      return bare(word);
    }

    private String quoted(char quote) {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == quote) {
          if (pos < s.length() && s.charAt(pos) == quote) {
            sb.append(quote);
            pos++;
            continue;
          }
          return sb.toString();
        }
        sb.append(c);
      }
      throw error("a quoted value is not closed");
    }

    private static Object bare(String word) {
      String lower = word.toLowerCase(Locale.ROOT);
      if (lower.equals("true") || lower.equals("false")) {
        return Boolean.parseBoolean(lower);
      }
      if (word.matches("[-+]?\\d+")) {
        try {
          return Long.parseLong(word);
        } catch (NumberFormatException e) {
          return new java.math.BigInteger(word);
        }
      }
      if (word.matches("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) {
        return Double.parseDouble(word);
      }
      return word;
    }

    private void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private NeuralakeException error(String what) {
      return new NeuralakeException(ErrorCode.INVALID_FILTER,
          "cannot read the value in the filter '" + whole + "': " + what);
    }
  }
}
