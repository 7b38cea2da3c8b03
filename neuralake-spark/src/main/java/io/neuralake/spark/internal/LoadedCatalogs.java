package io.neuralake.spark.internal;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogs of this JVM (the driver's, an executor's), loaded once per catalog option: the same
 * code on the driver, which plans, and on executors, which read through the catalog's stores and
 * runtime. A catalog that fails to load is not kept, so the next query tries again.
 */
public final class LoadedCatalogs {
  private static final Logger LOG = LoggerFactory.getLogger(LoadedCatalogs.class);
  private static final ConcurrentHashMap<String, Catalog> CATALOGS = new ConcurrentHashMap<>();

  private LoadedCatalogs() {}

  /** The catalog of a {@code catalog} option: a .java file or folder, or {@code some.jar!com.example.MyCatalog}. */
  public static Catalog get(String spec) {
    return CATALOGS.computeIfAbsent(spec, LoadedCatalogs::load);
  }

  private static Catalog load(String spec) {
    long start = System.nanoTime();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // the classes the catalog code uses (Neuralake's) are this jar's, wherever Spark loaded it from
    thread.setContextClassLoader(LoadedCatalogs.class.getClassLoader());
    try {
      Catalog catalog = CatalogLoader.load(spec);
      LOG.info("loaded the Neuralake catalog '{}' from {} in {} ms", catalog.name(), spec,
          (System.nanoTime() - start) / 1_000_000);
      return catalog;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
