package io.neuralake.site.internal;

/**
 * A table page's live part, in a server's live site: the table's freshness, a preview of its first rows (the SQL
 * snippet: the documentation filters and columns, a few rows), an SQL console and a plot of its result. The page
 * holds only the frame; live.js fills it through the server's API, with the caller's token.
 */
final class LiveSection {
  /** Rows the console asks for unless the reader writes otherwise. */
  static final int CONSOLE_LIMIT = 100;

  private LiveSection() {}

  static void render(Html h, String db, JsonView t) {
    String preview = "";
    for (JsonView s : t.list("snippets")) {
      if (s.text("id").equals("sql")) {
        preview = s.text("code");
      }
    }
    String table = Literals.sqlName(db) + "." + Literals.sqlName(t.text("name"));
    h.open("section", "aria-labelledby", "live", "class", "live", "id", "live-section",
            "data-table", t.text("qualified_name"), "data-preview-sql", preview)
        .raw("<h2 id=\"live\">Live</h2>")
        .raw("<p id=\"freshness\" class=\"freshness\" aria-live=\"polite\">Asking the server how fresh the table is…</p>")
        .raw("<h3 id=\"preview-title\">Preview</h3>")
        .raw("<p>The first rows of the example slice: ").element("code", preview).raw("</p>")
        .raw("<p id=\"preview-status\" class=\"status\" aria-live=\"polite\"></p>")
        .raw("<div id=\"preview\" class=\"scroll\" aria-labelledby=\"preview-title\"></div>")
        .raw("<h3 id=\"console-title\">SQL console</h3>")
        .raw("<form id=\"console\" class=\"console\" aria-labelledby=\"console-title\">")
        .raw("<label for=\"sql\">SQL over the catalog (read-only; Ctrl+Enter runs it)</label>")
        .open("textarea", "id", "sql", "rows", "4", "spellcheck", "false")
        .text("SELECT * FROM " + table + " LIMIT " + CONSOLE_LIMIT).close("textarea")
        .raw("<button type=\"submit\" id=\"run\">Run</button></form>")
        .raw("<p id=\"console-status\" class=\"status\" aria-live=\"polite\"></p>")
        .raw("<div id=\"plot-area\" hidden><h3 id=\"plot-title\">Plot</h3><div id=\"plot-controls\" class=\"plot-controls\">")
        .raw("</div><div id=\"plot\" role=\"img\" aria-labelledby=\"plot-title\"></div></div>")
        .raw("<div id=\"result\" class=\"scroll\"></div>")
        .close("section");
  }
}
