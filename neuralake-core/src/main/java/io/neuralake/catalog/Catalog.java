package io.neuralake.catalog;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.engine.Engine;
import io.neuralake.frame.Frame;
import io.neuralake.internal.plan.Frames;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.internal.plan.TableResolver;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.query.Query;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog: databases of tables, declared in code. It needs no database or service of its
 * own; the code is the catalog.
 *
 * <pre>{@code
 * public static Catalog catalog() {
 *   return Catalog.builder("neuralake").database("tpch", Tpch.class).build();
 * }
 * Frame parts = catalog.db("tpch").table("part");
 * Frame counts = catalog.sql("SELECT p_brand, count(*) AS n FROM tpch.part GROUP BY p_brand");
 * }</pre>
 *
 * <p>A catalog runs in a {@link LakeRuntime} ({@link Builder#runtime}, by default the process's)
 * and does not own it, so it needs no closing: close the runtime when every catalog using it is done.
 */
public final class Catalog {
  private final String name;
  private final Map<String, Database> databases;
  /** The databases as declared, so that {@link #only} can declare some of them again. */
  private final List<PendingDatabase> declared;
  private final LakeContext context;

  private Catalog(Builder b) {
    this(b.name, b.databases, b.root != null ? b.root : b.runtime.root(), b.storage, b.engine, b.runtime);
  }

  private Catalog(String name, List<PendingDatabase> databases, Location root, Storage storage, Engine engine,
      LakeRuntime runtime) {
    this.name = name;
    this.declared = List.copyOf(databases);
    this.context = new LakeContext(root, storage, engine, runtime, Optional.of(this));
    Map<String, Database> dbs = new LinkedHashMap<>();
    for (PendingDatabase p : databases) {
      dbs.put(p.name, new Database(p.name, p.description, p.tables, p.listed, context));
    }
    this.databases = Collections.unmodifiableMap(dbs);
  }

  /**
   * The same catalog with only some of its databases: same name, root, stores, engine and
   * runtime. What a server runs a user's SQL over when they may read only those databases — the
   * others cannot be named, not even by a function table given this catalog.
   */
  public Catalog only(Collection<String> databases) {
    requireNonNull(databases, "databases");
    for (String d : databases) {
      db(d); // an unknown name is an error listing the databases
    }
    return new Catalog(name, declared.stream().filter(p -> databases.contains(p.name)).toList(), context.root(),
        context.storage(), context.engine(), context.runtime());
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** The database of that name, or an error listing those that exist. */
  public Database db(String database) {
    Database d = databases.get(database);
    if (d == null) {
      throw new NeuralakeException(ErrorCode.DATABASE_NOT_FOUND,
          "catalog '" + name + "' has no database '" + database + "'; its databases are: "
          + String.join(", ", databases.keySet()));
    }
    return d;
  }

  public List<String> dbs() {
    return List.copyOf(databases.keySet());
  }

  /**
   * SQL over every table of the catalog, named {@code db.table}. The WHERE clause prunes
   * partitions and files of the tables it constrains. Returns a lazy frame.
   */
  public Frame sql(String sql) {
    requireNonNull(sql, "sql");
    return Frames.of(new PlanNode.CatalogSql(new Resolver(), sql));
  }

  /**
   * SQL over the catalog's tables as a query to run, stream, limit or cancel: planned now (tables
   * resolved, partitions and files pruned, nothing read), run by each {@link Query#open}. On a
   * sandboxed engine the statement guard checks it here. Close it when done.
   */
  public Query prepare(String sql) {
    return sql(sql).prepare();
  }

  /**
   * Where relative table locations resolve, the stores, the engine, the runtime holding the
   * catalog's table state, and the catalog itself (for function tables).
   */
  public LakeContext context() {
    return context;
  }

  @Override
  public String toString() {
    return "Catalog[" + name + ": " + String.join(", ", databases.keySet()) + "]";
  }

  /** Names tables for SQL; kept off the public surface of Catalog. */
  private final class Resolver implements TableResolver {
    @Override
    public Optional<PlanNode.Scan> resolve(String database, String table) {
      Database d = databases.get(database);
      if (d == null || d.find(table).isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(d.scan(table, ReadOptions.none()));
    }

    @Override
    public List<String> tableNames() {
      List<String> out = new ArrayList<>();
      databases.forEach((dn, d) -> d.tables(true).forEach(t -> out.add(dn + "." + t)));
      return out;
    }

    @Override
    public Engine engine() {
      return context.engine();
    }
  }

  private record PendingDatabase(String name, String description, List<TableDefinition> tables,
      List<DynamicDatabase> listed) {}

  public static final class Builder {
    private final String name;
    private final List<PendingDatabase> databases = new ArrayList<>();
    private Location root;
    private Storage storage;
    private Engine engine;
    private LakeRuntime runtime;

    private Builder(String name) {
      this.name = requireNonNull(name, "name");
    }

    /**
     * A database whose tables are the public static table fields and @Table methods of a class,
     * and the tables listed by its public static {@link DynamicDatabase} fields (each time they are
     * asked for; a declared table wins over a listed one of the same name).
     */
    public Builder database(String name, Class<?> type) {
      DatabaseClass.Declared declared = DatabaseClass.of(type);
      return add(name, "", declared.tables(), declared.listed());
    }

    public Builder database(String name, TableDefinition... tables) {
      return database(name, "", List.of(tables));
    }

    public Builder database(String name, String description, List<TableDefinition> tables) {
      return add(name, description, tables, List.of());
    }

    /**
     * A database whose tables are listed at run time, under its own name: every listing and lookup
     * asks it again, so tables created or dropped remotely are seen without rebuilding the catalog.
     */
    public Builder database(DynamicDatabase database) {
      requireNonNull(database, "database");
      return add(database.name(), database.description(), List.of(), List.of(database));
    }

    private Builder add(String name, String description, List<TableDefinition> tables, List<DynamicDatabase> listed) {
      requireNonNull(name, "name");
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "database name '" + name
            + "' is not valid: use letters, digits and underscores, starting with a letter or underscore");
      }
      if (databases.stream().anyMatch(d -> d.name.equals(name))) {
        throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
            "catalog '" + this.name + "' declares the database '" + name + "' twice");
      }
      databases.add(new PendingDatabase(name, description, List.copyOf(tables), List.copyOf(listed)));
      return this;
    }

    /**
     * Where relative table locations resolve: a folder or {@code s3://bucket/prefix}. By default
     * the runtime's root: {@code NEURALAKE_LAKE_ROOT}, or the working directory.
     */
    public Builder root(String location) {
      this.root = Location.parse(location).asFolder();
      return this;
    }

    /**
     * The runtime whose engine, stores and caches of table state the catalog uses (default:
     * {@link LakeRuntime#current()}: the default runtime, or the one a loader installed, such as
     * {@link CatalogLoader#load(String, LakeRuntime)}). The catalog does not own it: whoever built the runtime
     * closes it, after the catalogs using it are done.
     */
    public Builder runtime(LakeRuntime runtime) {
      this.runtime = requireNonNull(runtime, "runtime");
      return this;
    }

    /** Stores of the catalog's own instead of the runtime's; table state still lives in the runtime. */
    public Builder storage(Storage storage) {
      this.storage = requireNonNull(storage, "storage");
      return this;
    }

    /** An engine of the catalog's own instead of the runtime's. */
    public Builder engine(Engine engine) {
      this.engine = requireNonNull(engine, "engine");
      return this;
    }

    public Catalog build() {
      if (runtime == null) {
        runtime = LakeRuntime.current();
      }
      if (storage == null) {
        storage = runtime.storage();
      }
      if (engine == null) {
        engine = runtime.engine();
      }
      return new Catalog(this);
    }
  }
}
