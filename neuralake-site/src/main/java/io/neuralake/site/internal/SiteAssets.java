package io.neuralake.site.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * The site's own files (shipped as resources beside the site's classes) and, for a live site, uPlot's (copied from
 * its WebJar on the class path: third-party browser code comes from Maven, never from a CDN at run time).
 */
final class SiteAssets {
  static final List<String> STATIC = List.of("site.css", "site.js");
  static final List<String> LIVE_CSS = List.of("uPlot.min.css", "live.css");
  /** uPlot first: live.js draws with it. */
  static final List<String> LIVE_JS = List.of("uPlot.iife.min.js", "live.js");
  private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private SiteAssets() {}

  static byte[] read(String name) throws IOException {
    String resource = name.startsWith("uPlot.") ? uplotDist() + name : "/io/neuralake/site/assets/" + name;
    try (InputStream in = SiteAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the site asset " + resource + " is missing from the class path; rebuild neuralake-site"
            + (name.startsWith("uPlot.") ? " with its dependency org.webjars.npm:uplot" : ""));
      }
      return in.readAllBytes();
    }
  }

  /** Where the WebJar keeps uPlot's built files: its folder is named by the version, read from the jar's pom. */
  private static String uplotDist() throws IOException {
    Properties pom = new Properties();
    try (InputStream in = SiteAssets.class.getResourceAsStream(UPLOT_POM)) {
      if (in == null) {
        throw new IOException(UPLOT_POM + " is missing from the class path: the live site's plots need the WebJar"
            + " org.webjars.npm:uplot");
      }
      pom.load(in);
    }
    return "/META-INF/resources/webjars/uplot/" + pom.getProperty("version") + "/dist/";
  }
}
