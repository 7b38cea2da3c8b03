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
import java.util.Optional;

/**
 * A named group of tables. Usually a class: its public static table fields and its {@link Table}
 * methods are its tables. A database may also hold tables listed at run time by a
 * {@link DynamicDatabase} (a remote schema): those are listed each time the tables are asked for,
 * and a table declared in code wins over a listed one of the same name.
 */
public final class Database {
  private final String name;
  private final String description;
  private final Map<String, TableDefinition> tables;
  private final List<DynamicDatabase> listed;
  private final LakeContext context;

  Database(String name, String description, List<TableDefinition> tables, List<DynamicDatabase> listed,
      LakeContext context) {
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
    this.listed = List.copyOf(listed);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** The names of the tables, without deprecated ones; listed tables as they are now. */
  public List<String> tables() {
    return tables(false);
  }

  public List<String> tables(boolean includeDeprecated) {
    Map<String, TableDefinition> all = new LinkedHashMap<>(tables);
    for (DynamicDatabase source : listed) {
      for (TableDefinition t : source.tables(context)) {
        all.putIfAbsent(t.name(), t);
      }
    }
    List<String> out = new ArrayList<>();
    all.forEach((n, t) -> {
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
    return find(table).orElseThrow(() -> new NeuralakeException(ErrorCode.TABLE_NOT_FOUND,
        "database '" + name + "' has no table '" + table + "'" + (listed.isEmpty() ? "" : " (now)")
        + "; its tables are: " + String.join(", ", tables(true))));
  }

  /** The table, declared or listed now; empty when there is none. */
  Optional<TableDefinition> find(String table) {
    TableDefinition t = tables.get(table);
    if (t != null) {
      return Optional.of(t);
    }
    for (DynamicDatabase source : listed) {
      Optional<TableDefinition> found = source.table(table, context);
      if (found.isPresent()) {
        return Optional.of(found.get().inCatalog(context));
      }
    }
    return Optional.empty();
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
    // the declared tables only: a listing may reach a remote database
    return "Database[" + name + ": " + String.join(", ", tables.keySet())
        + (listed.isEmpty() ? "" : (tables.isEmpty() ? "" : ", ") + "tables listed from " + listed) + "]";
  }
}
