package io.neuralake.catalog;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Frame;
import io.neuralake.internal.plan.Frames;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named group of tables. Usually a class: its public static table fields and its {@link Table}
 * methods are its tables.
 */
public final class Database {
  private final String name;
  private final String description;
  private final Map<String, TableDefinition> tables;
  private final LakeContext context;

  Database(String name, String description, List<TableDefinition> tables, LakeContext context) {
    this.name = requireNonNull(name, "name");
    this.description = description == null ? "" : description;
    this.context = requireNonNull(context, "context");
    Map<String, TableDefinition> byName = new LinkedHashMap<>();
    for (TableDefinition declared : tables) {
      TableDefinition t = declared.inCatalog(context);
      TableDefinition previous = byName.put(t.name(), t);
      if (previous != null) {
        throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
            "database '" + name + "' declares the table '" + t.name() + "' twice ("
            + previous + " and " + t + "); table names must be unique in a database");
      }
    }
    this.tables = Collections.unmodifiableMap(byName);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** The names of the tables, without deprecated ones. */
  public List<String> tables() {
    return tables(false);
  }

  public List<String> tables(boolean includeDeprecated) {
    List<String> out = new ArrayList<>();
    tables.forEach((n, t) -> {
      if (includeDeprecated || !t.metadata().isDeprecated()) {
        out.add(n);
      }
    });
    return out;
  }

  /**
   * The declaration of a table (deprecated ones included), as this catalog holds it: a Delta
   * table's writes through it use the catalog's context.
   */
  public TableDefinition definition(String table) {
    TableDefinition t = tables.get(table);
    if (t == null) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND,
          "database '" + name + "' has no table '" + table + "'; its tables are: "
          + String.join(", ", tables(true)));
    }
    return t;
  }

  /** A lazy frame of the table, with filters that must all hold. */
  public Frame table(String table, Filter... filters) {
    return table(table, ReadOptions.builder().filters(filters).build());
  }

  /** A lazy frame of the table, with rows matching any of the conjunctions. */
  public Frame table(String table, List<List<Filter>> anyOf) {
    return table(table, ReadOptions.builder().anyOf(anyOf).build());
  }

  public Frame table(String table, ReadOptions options) {
    return Frames.of(scan(table, options));
  }

  PlanNode.Scan scan(String table, ReadOptions options) {
    return new PlanNode.Scan(definition(table), name + "." + table, context, options);
  }

  @Override
  public String toString() {
    return "Database[" + name + ": " + String.join(", ", tables(true)) + "]";
  }
}
