package io.neuralake.site.internal;

/** The frame every page shares: head, skip link, header with the search box, breadcrumb, footer and scripts. */
final class Layout {
  private Layout() {}

  /**
   * A whole page. {@code crumbs} are label, path pairs (root-relative paths; the last one is the page itself and
   * gets no link); {@code main} is the page's body, already escaped.
   */
  static String page(String path, String title, String catalogName, String[] crumbs, String main, Live live) {
    String root = SitePaths.rootFrom(path);
    Html h = new Html();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .element("title", title + " · " + catalogName + " catalog").raw("\n")
        .open("link", "rel", "stylesheet", "href", root + "assets/site.css").raw("\n");
    if (live.on()) {
      for (String css : SiteAssets.LIVE_CSS) {
        h.open("link", "rel", "stylesheet", "href", root + "assets/" + css).raw("\n");
      }
      h.raw("</head>\n").open("body", "data-root", root, "data-live", "api/", "data-token",
          live.tokenRequired() ? "required" : "none").raw("\n");
    } else {
      h.raw("</head>\n").open("body", "data-root", root).raw("\n");
    }
    h.raw("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
        .raw("<header class=\"top\">")
        .open("a", "class", "brand", "href", root + "index.html").text(catalogName).raw(" <span>catalog</span>")
        .close("a")
        .raw("<div class=\"search\" role=\"search\">")
        .raw("<label for=\"search\">Search tables, columns and descriptions</label>")
        .raw("<input id=\"search\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\""
            + " aria-expanded=\"false\" aria-controls=\"search-results\" aria-autocomplete=\"list\""
            + " placeholder=\"Search ( / or Ctrl+K )\">")
        .raw("<ul id=\"search-results\" role=\"listbox\" aria-label=\"Search results\" hidden></ul>")
        .raw("<p id=\"search-status\" class=\"visually-hidden\" aria-live=\"polite\"></p>")
        .raw("</div>");
    if (live.tokenRequired()) {
      // the server's API needs a bearer token: the page keeps it for this tab (sessionStorage) and sends it
      h.raw("<form class=\"token\" id=\"token-form\"><label for=\"token\">Token</label>")
          .raw("<input id=\"token\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\">")
          .raw("<button type=\"submit\">Use</button><span id=\"token-status\" aria-live=\"polite\"></span></form>");
    }
    h.raw("</header>\n");
    h.raw("<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>");
    for (int i = 0; i + 1 < crumbs.length; i += 2) {
      h.raw("<li>");
      if (i + 2 >= crumbs.length) {
        h.element("span", crumbs[i], "aria-current", "page");
      } else {
        h.element("a", crumbs[i], "href", root + crumbs[i + 1]);
      }
      h.raw("</li>");
    }
    h.raw("</ol></nav>\n<main id=\"main\" tabindex=\"-1\">\n").raw(main).raw("\n</main>\n")
        .raw("<footer>Generated from the catalog's code by Neuralake; the catalog as data: ")
        .element("a", "catalog.json", "href", root + "catalog.json")
        .raw(" (").element("a", "its JSON Schema", "href", root + "catalog.schema.json").raw(").</footer>\n")
        .open("script", "src", root + "assets/site.js").close("script").raw("\n");
    if (live.on()) {
      for (String js : SiteAssets.LIVE_JS) {
        h.open("script", "src", root + "assets/" + js).close("script").raw("\n");
      }
    }
    h.raw("</body>\n</html>\n");
    return h.toString();
  }
}
