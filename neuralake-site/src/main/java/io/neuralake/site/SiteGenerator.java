package io.neuralake.site;

import static java.util.Objects.requireNonNull;

import io.neuralake.site.internal.SiteWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes the catalog site: a folder of static pages generated from a {@link CatalogExport} (catalogs, databases and
 * tables, each page with its own address), the export itself ({@code catalog.json}) with its JSON Schema, a search
 * index loaded as a script, and the site's stylesheet and script. Links are relative, so the folder works from
 * {@code file://} and from any path of any static host; nothing is fetched at run time.
 *
 * <pre>{@code
 * SiteGenerator.of(CatalogExport.of(catalog, "catalog/")).write(Path.of("dist"), System.err::println);
 * }</pre>
 */
public final class SiteGenerator {
  private final CatalogExport export;

  private SiteGenerator(CatalogExport export) {
    this.export = export;
  }

  public static SiteGenerator of(CatalogExport export) {
    return new SiteGenerator(requireNonNull(export, "export"));
  }

  /**
   * Writes the site into {@code dir} (created if needed; files of an earlier run are replaced, others left alone),
   * calling {@code progress} with a line per step. Returns the files written, relative to {@code dir}.
   */
  public List<Path> write(Path dir, Consumer<String> progress) throws IOException {
    requireNonNull(dir, "dir");
    requireNonNull(progress, "progress");
    return new SiteWriter(export.document(), export.json(), CatalogExport.jsonSchema()).write(dir, progress);
  }
}
