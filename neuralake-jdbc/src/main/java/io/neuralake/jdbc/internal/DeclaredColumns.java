package io.neuralake.jdbc.internal;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.ReadableTypes;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A relational table's declared schema, the contract: reads return its columns, in its order and
 * with its types (the engine casts the database's values to them), and the database's other
 * columns are not read. A declared column the database lacks, or whose type cannot be read as the
 * declared one without loss, is an error naming the table, the column and both types.
 */
public final class DeclaredColumns {
  private DeclaredColumns() {}

  /** The database's columns that {@code declared} names, in its order, checked against it. */
  public static List<RemoteColumn> check(String table, Schema declared, List<RemoteColumn> remote) {
    Map<String, RemoteColumn> byName = remote.stream().collect(Collectors.toMap(RemoteColumn::name,
        Function.identity(), (a, b) -> a));
    List<RemoteColumn> out = new ArrayList<>();
    for (Field f : declared.fields()) {
      RemoteColumn c = byName.get(f.name());
      if (c == null) {
        throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH, "table " + table + ": column '" + f.name()
            + "' is declared but the database returns no such column (it returns " + remote.stream()
                .map(RemoteColumn::name).collect(Collectors.joining(", ")) + "); fix the declared schema in code");
      }
      if (!canRead(c.type(), f.type())) {
        throw new NeuralakeException(ErrorCode.SCHEMA_MISMATCH, "table " + table + ": column '" + f.name()
            + "' is declared as " + f.type().typeName() + " but the database has " + c.remoteType() + " ("
            + c.type().typeName() + "), which cannot be read as that; fix the declared schema in code"
            + " (or cast the column in a .sql(...) query)");
      }
      out.add(c);
    }
    return out;
  }

  /** The schema a read of {@code columns} returns: declared types where declared, else the database's. */
  public static Schema schema(Schema declared, List<RemoteColumn> columns) {
    return new Schema(columns.stream().map(c -> Field.of(c.name(),
        declared == null ? c.type() : declared.find(c.name()).map(Field::type).orElse(c.type()))).toList());
  }

  /** Whether values of {@code from} read as {@code to} without loss (widening, or to text). */
  static boolean canRead(DataType from, DataType to) {
    return ReadableTypes.canRead(from, to);
  }
}
