package io.neuralake.server.internal.http;

import java.util.Optional;

/**
 * A request's path as a file of the served site: {@code /} is {@code index.html}, a folder its {@code index.html}.
 * The site's file names are plain ASCII ({@code ~XX} stands for other bytes), so a path with {@code %}, a backslash,
 * a control character or a {@code .} or {@code ..} segment names no file: nothing can climb out of the site, and
 * the site is a map in memory besides, never a folder on disk.
 */
final class SitePath {
  private SitePath() {}

  /** The site file {@code path} (the request's raw path, from {@code /}) names, if it can name one. */
  static Optional<String> resolve(String path) {
    if (path == null || !path.startsWith("/")) {
      return Optional.empty();
    }
    String relative = path.substring(1);
    if (relative.isEmpty() || relative.endsWith("/")) {
      relative += "index.html";
    }
    for (int i = 0; i < relative.length(); i++) {
      char c = relative.charAt(i);
      if (c == '%' || c == '\\' || c < 0x20 || c > 0x7e) {
        return Optional.empty();
      }
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return Optional.empty();
      }
    }
    return Optional.of(relative);
  }

  /** The content type a site file is served with, by its extension. */
  static String contentType(String file) {
    String ext = file.substring(file.lastIndexOf('.') + 1);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "json" -> "application/json";
      case "png" -> "image/png";
      case "svg" -> "image/svg+xml";
      default -> "application/octet-stream";
    };
  }

  /** Whether a site file holds no catalog content (the site's and uPlot's scripts and styles): served to anyone. */
  static boolean isPublic(String file) {
    return file.startsWith("assets/");
  }
}
