package io.neuralake.types;

/** Quoting of identifiers for generated SQL. */
public final class Identifiers {
  private Identifiers() {}

  /** Double-quotes a column or table name, doubling embedded quotes, so any name is safe in SQL. */
  public static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
