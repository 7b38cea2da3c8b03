package io.neuralake.server.internal.http;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.Schema;
import java.io.IOException;

/**
 * A table named in a URL ({@code db.table} or {@code db}/{@code table}), found in the caller's
 * catalog: a database they may not read is as missing as one that does not exist.
 */
record TableRef(String db, String table, TableDefinition definition, Catalog catalog) {
  static TableRef of(Catalog catalog, String dotted) {
    int dot = dotted.indexOf('.');
    if (dot <= 0 || dot == dotted.length() - 1) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "'" + dotted + "' is not a table name: write"
          + " /api/tables/DATABASE.TABLE or /api/tables/DATABASE/TABLE; GET /api/schema lists the tables");
    }
    return of(catalog, dotted.substring(0, dot), dotted.substring(dot + 1));
  }

  static TableRef of(Catalog catalog, String db, String table) {
    return new TableRef(db, table, catalog.db(db).definition(table), catalog);
  }

  String qualified() {
    return db + "." + table;
  }

  /** The table's columns from metadata only (declared, Delta log or one footer), never its data. */
  Schema schema() {
    try {
      return definition.schema(catalog.context());
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.STORAGE_UNAVAILABLE, "cannot read the columns of " + qualified() + ": "
          + e.getMessage(), e);
    }
  }
}
