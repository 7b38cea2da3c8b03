package io.neuralake.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses declared type names (ours and the engine's) into {@link DataType}s. */
final class TypeParser {
  /** Real schemas nest a few levels; a deeper text is a mistake or an attack on the stack. */
  private static final int MAX_NESTING = 64;

  private final String text;
  private int pos;
  private int depth;

  private TypeParser(String text) {
    this.text = text;
  }

  static DataType parse(String text) {
    TypeParser p = new TypeParser(text.trim());
    DataType t = p.type();
    p.skipSpace();
    if (p.pos != p.text.length()) {
      throw p.error();
    }
    return t;
  }

  private DataType type() {
    if (++depth > MAX_NESTING) {
      throw new IllegalArgumentException("cannot parse the type '" + abbreviated() + "': types nest more than "
          + MAX_NESTING + " deep");
    }
    DataType t = unnested();
    depth--;
    return t;
  }

  private DataType unnested() {
    skipSpace();
    String word = word().toLowerCase(Locale.ROOT);
    DataType t = switch (word) {
      case "bool", "boolean" -> DataType.BOOLEAN;
      case "int8", "i8", "tinyint", "byte" -> DataType.INT8;
      case "int16", "i16", "smallint", "short" -> DataType.INT16;
      case "int32", "i32", "integer", "int" -> DataType.INT32;
      case "int64", "i64", "bigint", "long" -> DataType.INT64;
      case "uint8", "u8", "utinyint" -> DataType.UINT8;
      case "uint16", "u16", "usmallint" -> DataType.UINT16;
      case "uint32", "u32", "uinteger" -> DataType.UINT32;
      case "uint64", "u64", "ubigint" -> DataType.UINT64;
      case "float32", "f32", "float", "real" -> DataType.FLOAT32;
      case "float64", "f64", "double" -> DataType.FLOAT64;
      case "string", "str", "varchar", "text" -> DataType.STRING;
      case "binary", "blob", "bytea" -> DataType.BINARY;
      case "date" -> DataType.DATE;
      case "time" -> DataType.TIME;
      case "timestamp", "datetime", "timestamp_ntz" -> DataType.TIMESTAMP;
      case "timestamptz", "timestamp_tz" -> DataType.TIMESTAMP_TZ;
      case "decimal", "numeric" -> decimal();
      case "list", "array" -> {
        expect('<', '(');
        DataType element = type();
        expect('>', ')');
        yield DataType.list(element);
      }
      case "map" -> {
        expect('<', '(');
        DataType k = type();
        expect(',');
        DataType v = type();
        expect('>', ')');
        yield DataType.map(k, v);
      }
      case "struct" -> struct();
      default -> throw error();
    };
    if (word.equals("timestamp") && peekWords("with", "time", "zone")) {
      t = DataType.TIMESTAMP_TZ;
    }
    // DuckDB spells lists as a suffix: INTEGER[]
    while (peek('[')) {
      pos++;
      skipSpace();
      expect(']');
      t = DataType.list(t);
    }
    return t;
  }

  private DataType decimal() {
    skipSpace();
    if (!peek('(')) {
      return DataType.decimal(38, 9);
    }
    pos++;
    int precision = number();
    int scale = 0;
    skipSpace();
    if (peek(',')) {
      pos++;
      skipSpace();
      scale = number();
    }
    expect(')');
    return DataType.decimal(precision, scale);
  }

  private DataType struct() {
    expect('<', '(');
    List<Field> fields = new ArrayList<>();
    while (true) {
      skipSpace();
      String name = peek('"') ? quoted() : word();
      skipSpace();
      if (peek(':')) {
        pos++;
      }
      fields.add(Field.of(name, type()));
      skipSpace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect('>', ')');
      return new DataType.Struct(fields);
    }
  }

  private String quoted() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        if (pos < text.length() && text.charAt(pos) == '"') {
          sb.append('"');
          pos++;
          continue;
        }
        return sb.toString();
      }
      sb.append(c);
    }
    throw error();
  }

  private int number() {
    String digits = word();
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw error();
    }
    return Integer.parseInt(digits);
  }

  private String abbreviated() {
    return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)";
  }

  private boolean peekWords(String... words) {
    int save = pos;
    for (String w : words) {
      skipSpace();
      if (!word().equalsIgnoreCase(w)) {
        pos = save;
        return false;
      }
    }
    return true;
  }

  private String word() {
    skipSpace();
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char... options) {
    skipSpace();
    for (char c : options) {
      if (peek(c)) {
        pos++;
        return;
      }
    }
    throw error();
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error() {
    return new IllegalArgumentException("cannot parse the type '" + abbreviated() + "' at position " + pos
        + "; use names such as int64, float64, string, bool, date, timestamp, decimal(10,2), list<int64>,"
        + " map<string,int64> or struct<a: int64, b: string>");
  }
}
