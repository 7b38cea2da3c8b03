package io.neuralake.types;

import static java.util.Objects.requireNonNull;

/** A named, typed column. Columns are nullable unless declared otherwise. */
public record Field(String name, DataType type, boolean nullable, String description) {
  public Field {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a field name must not be blank");
    }
    description = description == null ? "" : description;
  }

  public static Field of(String name, DataType type) {
    return new Field(name, type, true, "");
  }

  public static Field required(String name, DataType type) {
    return new Field(name, type, false, "");
  }

  public Field withDescription(String text) {
    return new Field(name, type, nullable, text);
  }

  @Override
  public String toString() {
    return name + ": " + type + (nullable ? "" : " not null");
  }
}
