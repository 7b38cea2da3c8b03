package io.neuralake.types;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An ordered list of uniquely named fields. */
public record Schema(List<Field> fields) {
  public Schema {
    fields = List.copyOf(fields);
    Map<String, Field> seen = new LinkedHashMap<>();
    for (Field f : fields) {
      if (seen.put(f.name(), f) != null) {
        throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
            "column '" + f.name() + "' appears twice in the schema " + fields);
      }
    }
  }

  public static Schema of(Field... fields) {
    return new Schema(List.of(fields));
  }

  public static Schema empty() {
    return new Schema(List.of());
  }

  public int size() {
    return fields.size();
  }

  public List<String> names() {
    return fields.stream().map(Field::name).toList();
  }

  public Optional<Field> find(String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public boolean contains(String name) {
    return find(name).isPresent();
  }

  /** The field of that name, or an error listing the columns that exist. */
  public Field field(String name) {
    return find(name).orElseThrow(() -> new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND,
        "unknown column '" + name + "'; the columns are: " + String.join(", ", names())));
  }

  public Schema select(List<String> names) {
    List<Field> out = new ArrayList<>();
    for (String n : names) {
      out.add(field(n));
    }
    return new Schema(out);
  }

  @Override
  public String toString() {
    return fields.toString();
  }
}
