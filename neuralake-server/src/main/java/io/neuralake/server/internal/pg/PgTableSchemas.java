package io.neuralake.server.internal.pg;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.ServerContext;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The columns {@code pg_catalog} and {@code information_schema} show for each table: as the engine
 * plans {@code SELECT *} over it (the types results are sent with), NOT NULL where the table's code
 * declares a column required. A table is planned again only when its metadata schema changed (a
 * Delta table's log, whose latest commit is read as for any query; the declared schema, which never
 * changes; a Parquet folder's listing), so a writer adding a column shows in the next catalog query.
 */
final class PgTableSchemas {
  /** What the engine planned, and the metadata schema it was planned for. */
  private record Planned(Schema metadata, Schema columns) {}

  private final ServerContext context;
  private final Map<String, Planned> planned = new ConcurrentHashMap<>();

  PgTableSchemas(ServerContext context) {
    this.context = context;
  }

  /** The columns of {@code db.table} (the caller checked the user may see it). */
  Schema of(String db, String table) {
    TableDefinition definition = context.catalog().db(db).definition(table);
    Schema metadata;
    try {
      metadata = definition.schema(context.catalog().context());
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.STORAGE_UNAVAILABLE, "reading the columns of " + db + "." + table
          + " from its metadata failed: " + e.getMessage(), e);
    }
    String key = db + "." + table;
    Planned known = planned.get(key);
    if (known != null && known.metadata().equals(metadata)) {
      return known.columns();
    }
    try (Query q = context.queries().prepare(Principal.ANONYMOUS, "SELECT * FROM " + key)) {
      Schema columns = withDeclaredNotNull(q.schema(), definition.declaredSchema());
      planned.put(key, new Planned(metadata, columns));
      return columns;
    }
  }

  /** The planned columns, NOT NULL where the table's code declares them required (the engine's result loses it). */
  private static Schema withDeclaredNotNull(Schema planned, Optional<Schema> declared) {
    if (declared.isEmpty()) {
      return planned;
    }
    return new Schema(planned.fields().stream().map(f -> declared.get().find(f.name())
        .filter(d -> !d.nullable()).map(d -> new Field(f.name(), f.type(), false, f.description()))
        .orElse(f)).toList());
  }
}
