package io.neuralake.server;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.catalog.Database;
import io.neuralake.engine.EngineOptions;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.storage.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A catalog loaded from code into a runtime of the server's own whose engine is sandboxed
 * ({@link EngineOptions#locked}): it may read only the lake root (when local), the file cache and
 * the local folders of the catalog's tables. What {@code neuralake serve} runs.
 *
 * <p>The folders are known only once the catalog code has run, and the engine is locked when it
 * starts, so the catalog code runs twice: once into a runtime that only plans, to find the
 * folders, then into the sandboxed runtime. A catalog that names its own runtime or engine
 * ({@code Catalog.builder(..).runtime(..)}) is refused: its engine would not be the sandboxed one.
 */
public final class ServedCatalog implements AutoCloseable {
  private final Catalog catalog;
  private final LakeRuntime runtime;
  private final List<Path> readableFolders;

  private ServedCatalog(Catalog catalog, LakeRuntime runtime, List<Path> readableFolders) {
    this.catalog = catalog;
    this.runtime = runtime;
    this.readableFolders = readableFolders;
  }

  /**
   * Loads {@code spec} (as {@link CatalogLoader#load(String)} takes it) into a sandboxed runtime
   * configured from the environment ({@code NEURALAKE_LAKE_ROOT}, {@code NEURALAKE_CACHE_DIR},
   * {@code NEURALAKE_MEMORY_LIMIT}, ...). Close it to close the runtime.
   */
  public static ServedCatalog load(String spec) {
    requireNonNull(spec, "spec");
    List<Path> folders;
    try (LakeRuntime planning = LakeRuntime.builder().build()) {
      folders = readableFolders(CatalogLoader.load(spec, planning), planning);
    }
    LakeRuntime runtime = LakeRuntime.builder().engineOptions(EngineOptions.fromEnvironment().locked(folders)).build();
    try {
      Catalog catalog = CatalogLoader.load(spec, runtime);
      if (catalog.context().runtime() != runtime || catalog.context().engine() != runtime.engine()) {
        throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "the catalog " + catalog.name() + " (" + spec + ") names a"
            + " runtime or engine of its own (Catalog.builder(..).runtime(..) or .engine(..)); a server runs catalogs"
            + " in its own sandboxed runtime: build the catalog without them (configure the lake with NEURALAKE_*"
            + " settings instead)");
      }
      List<Path> again = readableFolders(catalog, runtime);
      if (!folders.containsAll(again)) {
        throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "the catalog " + catalog.name() + " (" + spec
            + ") declared other tables the second time it was loaded (folders " + again + ", first " + folders
            + "); a served catalog's code must declare the same tables every time it runs");
      }
      return new ServedCatalog(catalog, runtime, folders);
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  /**
   * The cache folder, the lake root if local and some table lies under it (a root that is only the
   * working directory by default is not opened up for tables declared elsewhere), and the folder
   * of every local table (a file table: the folder holding it).
   */
  static List<Path> readableFolders(Catalog catalog, LakeRuntime runtime) {
    Set<Path> folders = new LinkedHashSet<>();
    folders.add(normal(runtime.storage().cache().dir()));
    Location root = catalog.context().root();
    for (String db : catalog.dbs()) {
      Database d = catalog.db(db);
      for (String t : d.tables(true)) {
        String location = d.definition(t).location();
        // a relational table's location is its database's URL: nothing in the lake for the engine to read
        if (!location.isEmpty() && !location.startsWith("jdbc:")) {
          Location resolved = catalog.context().resolve(location);
          if (root.relativize(resolved) != null) {
            addLocal(folders, root);
          }
          addLocal(folders, resolved);
        }
      }
    }
    return pruned(folders);
  }

  private static void addLocal(Set<Path> folders, Location location) {
    if (location.isLocal()) {
      Path p = normal(location.path());
      folders.add(Files.isRegularFile(p) && p.getParent() != null ? p.getParent() : p);
    }
  }

  private static Path normal(Path p) {
    return p.toAbsolutePath().normalize();
  }

  /** Without folders inside others already listed, in order. */
  private static List<Path> pruned(Set<Path> folders) {
    List<Path> out = new ArrayList<>();
    for (Path f : folders) {
      if (folders.stream().noneMatch(o -> !o.equals(f) && f.startsWith(o))) {
        out.add(f);
      }
    }
    return List.copyOf(out);
  }

  public Catalog catalog() {
    return catalog;
  }

  /** The sandboxed runtime the catalog runs in (closed with this). */
  public LakeRuntime runtime() {
    return runtime;
  }

  /** The folders the engine may read. */
  public List<Path> readableFolders() {
    return readableFolders;
  }

  @Override
  public void close() {
    runtime.close();
  }
}
