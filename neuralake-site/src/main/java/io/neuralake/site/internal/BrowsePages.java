package io.neuralake.site.internal;

import java.util.List;

/** The catalog's front page (catalog, databases, tables side by side) and one page per database. */
final class BrowsePages {
  private BrowsePages() {}

  static String index(JsonView doc, Live live) {
    JsonView catalog = doc.object("catalog");
    String name = catalog.text("name");
    List<JsonView> dbs = doc.list("databases");
    Html h = new Html();
    h.element("h1", name).raw("\n<div class=\"browser\">\n");
    h.raw("<section aria-labelledby=\"col-catalogs\"><h2 id=\"col-catalogs\">Catalogs</h2><ul class=\"pick\">")
        .raw("<li class=\"current\">").element("a", name, "href", "index.html", "aria-current", "page")
        .raw(" <span class=\"count\">").text(dbs.size() + (dbs.size() == 1 ? " database" : " databases"))
        .raw("</span></li></ul></section>\n");
    h.raw("<section aria-labelledby=\"col-databases\"><h2 id=\"col-databases\">Databases</h2><ul class=\"pick\">");
    for (JsonView db : dbs) {
      String d = db.text("name");
      int n = db.list("tables").size();
      h.raw("<li>").element("a", d, "href", SitePaths.database(d), "data-db", d)
          .raw(" <span class=\"count\">").text(n + (n == 1 ? " table" : " tables")).raw("</span>");
      if (!db.text("description").isEmpty()) {
        h.element("p", db.text("description"));
      }
      h.raw("</li>");
    }
    h.raw("</ul></section>\n");
    h.raw("<section aria-labelledby=\"col-tables\"><h2 id=\"col-tables\">Tables</h2>");
    for (JsonView db : dbs) {
      String d = db.text("name");
      h.open("h3", "data-db", d).text(d).close("h3").open("ul", "class", "pick", "data-db", d);
      for (JsonView t : db.list("tables")) {
        tableItem(h, d, t, "");
      }
      h.raw("</ul>");
    }
    h.raw("</section>\n</div>");
    return Layout.page("index.html", name, name, new String[] {name, "index.html"}, h.toString(), live);
  }

  static String database(JsonView doc, JsonView db, Live live) {
    String catalogName = doc.object("catalog").text("name");
    String d = db.text("name");
    String path = SitePaths.database(d);
    Html h = new Html();
    h.open("h1").text(d).raw(" <span class=\"badge kind\">database</span>").close("h1");
    if (!db.text("description").isEmpty()) {
      h.element("p", db.text("description"), "class", "lead");
    }
    h.raw("<ul class=\"pick tables\">");
    for (JsonView t : db.list("tables")) {
      tableItem(h, d, t, SitePaths.rootFrom(path));
    }
    h.raw("</ul>");
    return Layout.page(path, d, catalogName, new String[] {catalogName, "index.html", d, path}, h.toString(),
        live);
  }

  private static void tableItem(Html h, String db, JsonView t, String root) {
    String name = t.text("name");
    h.raw("<li>").element("a", name, "href", root + SitePaths.table(db, name))
        .raw(" ").element("span", t.text("kind"), "class", "badge kind");
    if (!t.text("deprecated").isEmpty()) {
      h.raw(" ").element("span", "deprecated", "class", "badge deprecated");
    }
    if (!t.text("description").isEmpty()) {
      h.element("p", t.text("description"));
    }
    h.raw("</li>");
  }
}
