package io.neuralake.internal.plan;

import java.util.List;
import java.util.Optional;

/** Finds catalog tables by name for SQL: {@code db.table}, or a table name unique in the catalog. */
public interface TableResolver {

  /** The scan of {@code database.table}; empty if there is no such table. */
  Optional<PlanNode.Scan> resolve(String database, String table);

  /** The engine the catalog's queries run on. */
  io.neuralake.engine.Engine engine();

  /** Every table that can be named, as {@code db.table}, for error messages. */
  List<String> tableNames();
}
