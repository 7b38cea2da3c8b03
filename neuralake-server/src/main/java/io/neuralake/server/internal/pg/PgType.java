package io.neuralake.server.internal.pg;

import io.neuralake.types.DataType;
import java.util.List;
import java.util.Locale;

/**
 * The PostgreSQL types results are sent as: OID, size, name (as {@code format_type} prints it) and
 * how values are written. Types PostgreSQL lacks (lists, structs, maps, unsigned 64-bit) are sent
 * as {@code text} or {@code numeric} so every client can read them.
 */
enum PgType {
  BOOL(16, 1, "boolean", "bool", 'B'),
  BYTEA(17, -1, "bytea", "bytea", 'U'),
  INT8(20, 8, "bigint", "int8", 'N'),
  INT2(21, 2, "smallint", "int2", 'N'),
  INT4(23, 4, "integer", "int4", 'N'),
  TEXT(25, -1, "text", "text", 'S'),
  OID(26, 4, "oid", "oid", 'N'),
  JSON(114, -1, "json", "json", 'U'),
  FLOAT4(700, 4, "real", "float4", 'N'),
  FLOAT8(701, 8, "double precision", "float8", 'N'),
  VARCHAR(1043, -1, "character varying", "varchar", 'S'),
  DATE(1082, 4, "date", "date", 'D'),
  TIME(1083, 8, "time without time zone", "time", 'D'),
  TIMESTAMP(1114, 8, "timestamp without time zone", "timestamp", 'D'),
  TIMESTAMPTZ(1184, 8, "timestamp with time zone", "timestamptz", 'D'),
  NUMERIC(1700, -1, "numeric", "numeric", 'N'),
  NAME(19, 64, "name", "name", 'S'),
  CHAR(18, 1, "\"char\"", "char", 'S'),
  UNKNOWN(705, -2, "unknown", "unknown", 'X');

  final int oid;
  final int size;
  final String sqlName;
  final String typname;
  final char category;

  PgType(int oid, int size, String sqlName, String typname, char category) {
    this.oid = oid;
    this.size = size;
    this.sqlName = sqlName;
    this.typname = typname;
    this.category = category;
  }

  /** The type a column of this library type is sent as. */
  static PgType of(DataType type) {
    return switch (type) {
      case DataType.Primitive p -> switch (p.kind()) {
        case BOOLEAN -> BOOL;
        case INT8, INT16, UINT8 -> INT2;
        case INT32, UINT16 -> INT4;
        case INT64, UINT32 -> INT8;
        case UINT64 -> NUMERIC;
        case FLOAT32 -> FLOAT4;
        case FLOAT64 -> FLOAT8;
        case STRING -> TEXT;
        case BINARY -> BYTEA;
        case DATE -> DATE;
        case TIME -> TIME;
        case TIMESTAMP -> TIMESTAMP;
        case TIMESTAMP_TZ -> TIMESTAMPTZ;
      };
      case DataType.Decimal d -> NUMERIC;
      case DataType.Other o -> o.sqlName().toUpperCase(Locale.ROOT).startsWith("JSON") ? JSON : TEXT;
      default -> TEXT;
    };
  }

  /** The type modifier PostgreSQL would report ({@code numeric(p,s)}: ((p << 16) | s) + 4), else -1. */
  static int typmod(DataType type) {
    return type instanceof DataType.Decimal d ? ((d.precision() << 16) | d.scale()) + 4 : -1;
  }

  /** The type with this OID, if it is one the server sends or accepts. */
  static PgType byOid(int oid) {
    for (PgType t : values()) {
      if (t.oid == oid) {
        return t;
      }
    }
    return null;
  }

  /** Every type, for {@code pg_type}. */
  static List<PgType> all() {
    return List.of(values());
  }
}
