package io.neuralake.site.internal;

/**
 * Where each page lives in the output, relative to its root. Links between pages are relative, so the site works
 * from {@code file://} and under any sub-path of a static host.
 */
final class SitePaths {
  private SitePaths() {}

  static String database(String db) {
    return "db/" + slug(db) + "/index.html";
  }

  static String table(String db, String table) {
    return "db/" + slug(db) + "/" + slug(table) + ".html";
  }

  /** From a page at {@code path} back to the root: {@code ../../} for a database's pages. */
  static String rootFrom(String path) {
    return "../".repeat((int) path.chars().filter(c -> c == '/').count());
  }

  /** A name as a file name: letters, digits, {@code _} and {@code -} kept, anything else as {@code ~XX} (UTF-8 hex). */
  static String slug(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        out.append(c);
      } else {
        out.append('~').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
