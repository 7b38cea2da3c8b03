package io.neuralake.types;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * A column type. Values are immutable and compare by value, so types can be used as keys and in
 * equality checks when schemas are reconciled.
 *
 * <p>The set mirrors what Parquet, Arrow and Delta Lake share; {@link #sqlName()} is the engine's
 * spelling, {@link #toString()} the short name shown in printed frames (as polars does).
 */
public sealed interface DataType {

  Primitive BOOLEAN = new Primitive(Kind.BOOLEAN);
  Primitive INT8 = new Primitive(Kind.INT8);
  Primitive INT16 = new Primitive(Kind.INT16);
  Primitive INT32 = new Primitive(Kind.INT32);
  Primitive INT64 = new Primitive(Kind.INT64);
  Primitive UINT8 = new Primitive(Kind.UINT8);
  Primitive UINT16 = new Primitive(Kind.UINT16);
  Primitive UINT32 = new Primitive(Kind.UINT32);
  Primitive UINT64 = new Primitive(Kind.UINT64);
  Primitive FLOAT32 = new Primitive(Kind.FLOAT32);
  Primitive FLOAT64 = new Primitive(Kind.FLOAT64);
  Primitive STRING = new Primitive(Kind.STRING);
  Primitive BINARY = new Primitive(Kind.BINARY);
  Primitive DATE = new Primitive(Kind.DATE);
  Primitive TIME = new Primitive(Kind.TIME);
  /** Microseconds since the epoch, without a time zone (wall-clock time). */
  Primitive TIMESTAMP = new Primitive(Kind.TIMESTAMP);
  /** Microseconds since the epoch, an instant (UTC-adjusted). */
  Primitive TIMESTAMP_TZ = new Primitive(Kind.TIMESTAMP_TZ);
  /** A type the engine produced that has no Neuralake equivalent; it is carried by name. */
  static Other other(String sqlName) {
    return new Other(sqlName);
  }

  static Decimal decimal(int precision, int scale) {
    return new Decimal(precision, scale);
  }

  static ListType list(DataType element) {
    return new ListType(element);
  }

  static Struct struct(Field... fields) {
    return new Struct(List.of(fields));
  }

  static MapType map(DataType key, DataType value) {
    return new MapType(key, value);
  }

  /** A struct field's name as {@link #parse} reads it back: a plain word as it is, any other name quoted. */
  private static String fieldName(String name) {
    return name.chars().allMatch(c -> Character.isLetterOrDigit((char) c) || c == '_') ? name : Identifiers.quote(name);
  }

  /** The name used in declarations and messages: {@code int64}, {@code decimal(10,2)}, {@code list<string>}. */
  default String typeName() {
    return switch (this) {
      case Primitive p -> p.kind().declaredName();
      case Decimal d -> "decimal(" + d.precision() + "," + d.scale() + ")";
      case ListType l -> "list<" + l.element().typeName() + ">";
      case MapType m -> "map<" + m.key().typeName() + "," + m.value().typeName() + ">";
      case Struct s -> "struct<" + String.join(", ", s.fields().stream()
          .map(f -> fieldName(f.name()) + ": " + f.type().typeName()).toList()) + ">";
      case Other o -> o.sqlName().toLowerCase(Locale.ROOT);
    };
  }

  /** The engine's (DuckDB's) name of this type, used in casts and generated SQL. */
  String sqlName();

  /** Whether values of this type are numbers (integers, floats or decimals). */
  default boolean isNumeric() {
    return this instanceof Decimal
        || (this instanceof Primitive p && p.kind().numeric);
  }

  /** Whether values of this type are whole numbers. */
  default boolean isInteger() {
    return this instanceof Primitive p && p.kind().numeric && p.kind() != Kind.FLOAT32 && p.kind() != Kind.FLOAT64;
  }

  /** Whether values are dates or times (they accept ISO strings in filters). */
  default boolean isTemporal() {
    return this instanceof Primitive p
        && (p.kind() == Kind.DATE || p.kind() == Kind.TIME || p.kind() == Kind.TIMESTAMP || p.kind() == Kind.TIMESTAMP_TZ);
  }

  /** Parses a type name such as {@code int64}, {@code string}, {@code decimal(10,2)} or {@code list<int64>}. */
  static DataType parse(String text) {
    return TypeParser.parse(text);
  }

  /** The primitive kinds. */
  enum Kind {
    BOOLEAN("bool", "BOOLEAN", false),
    INT8("i8", "TINYINT", true),
    INT16("i16", "SMALLINT", true),
    INT32("i32", "INTEGER", true),
    INT64("i64", "BIGINT", true),
    UINT8("u8", "UTINYINT", true),
    UINT16("u16", "USMALLINT", true),
    UINT32("u32", "UINTEGER", true),
    UINT64("u64", "UBIGINT", true),
    FLOAT32("f32", "FLOAT", true),
    FLOAT64("f64", "DOUBLE", true),
    STRING("str", "VARCHAR", false),
    BINARY("binary", "BLOB", false),
    DATE("date", "DATE", false),
    TIME("time", "TIME", false),
    TIMESTAMP("datetime[μs]", "TIMESTAMP", false),
    TIMESTAMP_TZ("datetime[μs, UTC]", "TIMESTAMPTZ", false);

    final String shortName;
    final String sqlName;
    final boolean numeric;

    Kind(String shortName, String sqlName, boolean numeric) {
      this.shortName = shortName;
      this.sqlName = sqlName;
      this.numeric = numeric;
    }

    /** The lower-case name used in declarations and error messages, e.g. {@code int64}. */
    public String declaredName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  record Primitive(Kind kind) implements DataType {
    public Primitive {
      requireNonNull(kind, "kind");
    }

    @Override
    public String sqlName() {
      return kind.sqlName;
    }

    @Override
    public String toString() {
      return kind.shortName;
    }
  }

  record Decimal(int precision, int scale) implements DataType {
    public Decimal {
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        throw new IllegalArgumentException(
            "decimal(" + precision + "," + scale + ") is not valid: precision must be 1..38 and scale 0..precision");
      }
    }

    @Override
    public String sqlName() {
      return "DECIMAL(" + precision + "," + scale + ")";
    }

    @Override
    public String toString() {
      return "decimal[" + precision + "," + scale + "]";
    }
  }

  record ListType(DataType element) implements DataType {
    public ListType {
      requireNonNull(element, "element");
    }

    @Override
    public String sqlName() {
      return element.sqlName() + "[]";
    }

    @Override
    public String toString() {
      return "list[" + element + "]";
    }
  }

  record Struct(List<Field> fields) implements DataType {
    public Struct {
      fields = List.copyOf(fields);
    }

    @Override
    public String sqlName() {
      StringBuilder sb = new StringBuilder("STRUCT(");
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(Identifiers.quote(fields.get(i).name())).append(' ').append(fields.get(i).type().sqlName());
      }
      return sb.append(')').toString();
    }

    @Override
    public String toString() {
      return "struct[" + fields.size() + "]";
    }
  }

  record MapType(DataType key, DataType value) implements DataType {
    public MapType {
      requireNonNull(key, "key");
      requireNonNull(value, "value");
    }

    @Override
    public String sqlName() {
      return "MAP(" + key.sqlName() + ", " + value.sqlName() + ")";
    }

    @Override
    public String toString() {
      return "map[" + key + ", " + value + "]";
    }
  }

  record Other(String sqlName) implements DataType {
    public Other {
      requireNonNull(sqlName, "sqlName");
    }

    @Override
    public String toString() {
      return sqlName.toLowerCase(Locale.ROOT);
    }
  }
}
