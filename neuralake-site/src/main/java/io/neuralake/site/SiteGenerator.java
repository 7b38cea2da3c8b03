package io.neuralake.site;

import static java.util.Objects.requireNonNull;

import io.neuralake.site.internal.Live;
import io.neuralake.site.internal.SignInPage;
import io.neuralake.site.internal.SiteWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
  private final Live live;

  private SiteGenerator(CatalogExport export, Live live) {
    this.export = export;
    this.live = live;
  }

  public static SiteGenerator of(CatalogExport export) {
    return new SiteGenerator(requireNonNull(export, "export"), Live.OFF);
  }

  /**
   * This site as a server serves it live, at the root of its HTTP door or under a proxy's sub-path: each table page
   * also previews rows, runs SQL, plots results and shows its freshness, through the server's API at {@code api/}
   * beside the pages. {@code tokenRequired}: the server asks for a bearer token, so pages carry a token field.
   * Static copies ({@link #write}) of a live site are no use: without the server its live parts fail.
   */
  public SiteGenerator live(boolean tokenRequired) {
    return new SiteGenerator(export, new Live(true, tokenRequired));
  }

  /**
   * Writes the site into {@code dir} (created if needed; files of an earlier run are replaced, others left alone),
   * calling {@code progress} with a line per step. Returns the files written, relative to {@code dir}.
   */
  public List<Path> write(Path dir, Consumer<String> progress) throws IOException {
    requireNonNull(dir, "dir");
    requireNonNull(progress, "progress");
    return writer().write(dir, progress);
  }

  /** The site in memory: each file's bytes by its path relative to the site's root ({@code db/tpch/orders.html}). */
  public Map<String, byte[]> render() throws IOException {
    return writer().render(line -> { });
  }

  private SiteWriter writer() {
    return new SiteWriter(export.document(), export.json(), CatalogExport.jsonSchema(), live);
  }

  /**
   * What a live site answers, with status 401, in place of the page at {@code path} (relative to the site's root)
   * when the browser sent no valid token: the pages' frame with a token field, no catalog content, and
   * {@code message} (why the token was refused; no secret in it).
   */
  public static String signInPage(String catalogName, String path, String message) {
    return SignInPage.render(requireNonNull(catalogName, "catalogName"), requireNonNull(path, "path"),
        requireNonNull(message, "message"));
  }
}
