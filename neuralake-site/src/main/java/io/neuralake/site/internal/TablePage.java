package io.neuralake.site.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A table's page: what the catalog says about it, its columns and partitions, the documentation filters, what its
 * metadata knows (Delta: version, files, size, history) and the code to copy, one tab per way in.
 */
final class TablePage {
  private TablePage() {}

  static String render(JsonView doc, String db, JsonView t, Live live) {
    String catalogName = doc.object("catalog").text("name");
    String name = t.text("name");
    String path = SitePaths.table(db, name);
    Html h = new Html();
    h.open("h1").text(t.text("qualified_name")).raw(" ")
        .element("span", t.text("kind"), "class", "badge kind kind-" + t.text("kind")).close("h1");
    if (!t.text("deprecated").isEmpty()) {
      h.raw("<div class=\"banner deprecated\" role=\"note\"><strong>Deprecated.</strong> ")
          .text(t.text("deprecated")).raw("</div>");
    }
    if (!t.text("description").isEmpty()) {
      h.element("p", t.text("description"), "class", "lead");
    }
    h.raw("<dl class=\"facts\">");
    fact(h, "Data source", t.text("data_input"));
    fact(h, "Latency", t.text("latency"));
    if (!t.text("example_notebook").isEmpty()) {
      h.element("dt", "Example notebook").raw("<dd>").externalLink(t.text("example_notebook"), t.text("example_notebook"))
          .raw("</dd>");
    }
    fact(h, "Versions", t.bool("versioned") ? "yes: reads can ask for a version or a time" : "");
    h.raw("</dl>");
    for (String problem : t.strings("problems")) {
      h.raw("<div class=\"banner problem\" role=\"note\">").text(problem).raw("</div>");
    }
    docsFilters(h, t);
    if (live.on()) {
      LiveSection.render(h, db, t);
    }
    partitions(h, t);
    columns(h, t);
    details(h, t.object("details"));
    history(h, t.list("history"));
    snippets(h, t.list("snippets"));
    return Layout.page(path, t.text("qualified_name"), catalogName,
        new String[] {catalogName, "index.html", db, SitePaths.database(db), name, path}, h.toString(), live);
  }

  private static void fact(Html h, String label, String value) {
    if (!value.isEmpty()) {
      h.element("dt", label).element("dd", value);
    }
  }

  private static void docsFilters(Html h, JsonView t) {
    List<JsonView> filters = t.list("docs_filters");
    List<String> columns = t.strings("docs_columns");
    if (filters.isEmpty() && columns.isEmpty()) {
      return;
    }
    h.raw("<section aria-labelledby=\"docs-filters\"><h2 id=\"docs-filters\">Example slice</h2><ul class=\"chips\">");
    for (JsonView f : filters) {
      h.open("li", "data-column", f.text("column"), "data-operator", f.text("operator"), "data-value", f.json("value"))
          .element("code", f.text("text")).close("li");
    }
    if (!columns.isEmpty()) {
      h.raw("<li>columns ").element("code", String.join(", ", columns)).raw("</li>");
    }
    h.raw("</ul></section>");
  }

  private static void partitions(Html h, JsonView t) {
    List<JsonView> partitions = t.list("partitions");
    if (partitions.isEmpty()) {
      return;
    }
    h.raw("<section aria-labelledby=\"partitions\"><h2 id=\"partitions\">Partitions</h2>")
        .raw("<table><thead><tr><th scope=\"col\">Column</th><th scope=\"col\">Type</th></tr></thead><tbody>");
    for (JsonView p : partitions) {
      h.raw("<tr>").element("td", p.text("column")).raw("<td>").element("code", p.text("type")).raw("</td></tr>");
    }
    h.raw("</tbody></table></section>");
  }

  private static void columns(Html h, JsonView t) {
    h.raw("<section aria-labelledby=\"columns\"><h2 id=\"columns\">Columns</h2><div class=\"scroll\">")
        .raw("<table class=\"columns\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th>")
        .raw("<th scope=\"col\">Nullable</th><th scope=\"col\">Badges</th><th scope=\"col\">Description</th></tr>")
        .raw("</thead><tbody>");
    for (JsonView c : t.list("columns")) {
      h.open("tr", "id", "col-" + SitePaths.slug(c.text("name"))).raw("<th scope=\"row\">")
          .element("code", c.text("name")).raw("</th><td>").element("code", c.text("type")).raw("</td>")
          .element("td", c.bool("nullable") ? "yes" : "no").raw("<td>");
      for (String badge : c.strings("badges")) {
        h.element("span", badge, "class", "badge " + badge.replaceAll("[^a-z-]", "")).raw(" ");
      }
      h.raw("</td><td>").text(c.text("description"));
      if (!c.text("expression").isEmpty()) {
        h.raw(" ").element("code", "= " + c.text("expression"));
      }
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table></div></section>");
  }

  private static void details(Html h, JsonView d) {
    Html facts = new Html();
    number(facts, "Version", d.optNumber("version"), false);
    fact(facts, "Last modified", d.text("last_modified"));
    number(facts, "Files", d.optNumber("file_count"), false);
    number(facts, "Size", d.optNumber("size_bytes"), true);
    number(facts, "Rows", d.optNumber("row_count"), false);
    number(facts, "Partitions", d.optNumber("partition_count"), false);
    Map<String, String> properties = d.map("properties");
    if (facts.toString().isEmpty() && properties.isEmpty()) {
      return;
    }
    h.raw("<section aria-labelledby=\"stored\"><h2 id=\"stored\">Stored table</h2><dl class=\"facts\">")
        .raw(facts.toString()).raw("</dl>");
    if (!properties.isEmpty()) {
      h.raw("<details><summary>Properties</summary><dl class=\"facts\">");
      properties.forEach((k, v) -> h.element("dt", k).element("dd", v));
      h.raw("</dl></details>");
    }
    h.raw("</section>");
  }

  private static void number(Html h, String label, OptionalLong value, boolean bytes) {
    if (value.isPresent()) {
      long v = value.getAsLong();
      h.element("dt", label).element("dd", bytes ? size(v) : String.format(Locale.ROOT, "%,d", v));
    }
  }

  /** Bytes in the largest unit that keeps a digit before the point, with the exact count beside. */
  static String size(long bytes) {
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    if (bytes < 1000) {
      return String.format(Locale.ROOT, "%,d bytes", bytes);
    }
    double v = bytes;
    int unit = -1;
    while (v >= 1000 && unit < units.length - 1) {
      v /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%,d bytes)", v, units[unit], bytes);
  }

  private static void history(Html h, List<JsonView> commits) {
    if (commits.isEmpty()) {
      return;
    }
    h.raw("<section aria-labelledby=\"history\"><h2 id=\"history\">Recent history</h2><div class=\"scroll\"><table>")
        .raw("<thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Time</th><th scope=\"col\">Operation</th>")
        .raw("<th scope=\"col\">Files added</th><th scope=\"col\">Files removed</th><th scope=\"col\">Rows</th></tr>")
        .raw("</thead><tbody>");
    for (JsonView c : commits) {
      OptionalLong rows = c.optNumber("rows");
      h.raw("<tr>").element("td", Long.toString(c.number("version"))).element("td", c.text("timestamp"))
          .element("td", c.text("operation")).element("td", Long.toString(c.number("files_added")))
          .element("td", Long.toString(c.number("files_removed")))
          .element("td", rows.isPresent() ? String.format(Locale.ROOT, "%,d", rows.getAsLong()) : "").raw("</tr>");
    }
    h.raw("</tbody></table></div></section>");
  }

  private static void snippets(Html h, List<JsonView> snippets) {
    h.raw("<section aria-labelledby=\"code\" class=\"snippets\"><h2 id=\"code\">Code to copy</h2>")
        .raw("<div role=\"tablist\" aria-label=\"Code to copy\">");
    boolean first = true;
    for (JsonView s : snippets) {
      String id = s.text("id");
      h.open("button", "type", "button", "role", "tab", "id", "tab-" + id, "aria-controls", "panel-" + id,
          "aria-selected", Boolean.toString(first), "tabindex", first ? "0" : "-1").text(s.text("label")).close("button");
      first = false;
    }
    h.raw("</div>");
    first = true;
    for (JsonView s : snippets) {
      String id = s.text("id");
      String[] panel = {"role", "tabpanel", "id", "panel-" + id, "aria-labelledby", "tab-" + id, "class", "panel"};
      h.open("div", first ? panel : append(panel, "hidden", ""))
          .open("button", "type", "button", "class", "copy", "data-copy", "code-" + id,
              "aria-label", "Copy the " + s.text("label") + " code").text("Copy").close("button")
          .open("pre").open("code", "id", "code-" + id, "class", "language-" + s.text("language"))
          .text(s.text("code")).close("code").close("pre").close("div");
      first = false;
    }
    h.raw("</section>");
  }

  private static String[] append(String[] attributes, String name, String value) {
    String[] out = java.util.Arrays.copyOf(attributes, attributes.length + 2);
    out[attributes.length] = name;
    out[attributes.length + 1] = value;
    return out;
  }
}
