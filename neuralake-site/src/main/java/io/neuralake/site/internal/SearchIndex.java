package io.neuralake.site.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The search index as a script that assigns a global ({@code window.NEURALAKE_SEARCH}): pages opened from
 * {@code file://} may not fetch() a JSON file, but they may load a script beside them.
 */
final class SearchIndex {
  static final String FILE = "search-index.js";

  private SearchIndex() {}

  static String script(JsonView doc) {
    ArrayNode entries = ExportWriter.JSON.createArrayNode();
    for (JsonView db : doc.list("databases")) {
      String d = db.text("name");
      entries.addObject().put("type", "database").put("name", d).put("description", db.text("description"))
          .put("url", SitePaths.database(d)).putArray("columns");
      for (JsonView t : db.list("tables")) {
        ObjectNode e = entries.addObject().put("type", "table").put("name", t.text("qualified_name"))
            .put("description", t.text("description")).put("url", SitePaths.table(d, t.text("name")))
            .put("kind", t.text("kind")).put("deprecated", !t.text("deprecated").isEmpty());
        ArrayNode columns = e.putArray("columns");
        t.list("columns").forEach(c -> columns.add(c.text("name")));
      }
    }
    try {
      // JSON is a JavaScript expression; "</" is escaped as well, in case the index is ever inlined in a page
      return "window.NEURALAKE_SEARCH = " + ExportWriter.JSON.writeValueAsString(entries).replace("</", "<\\/")
          + ";\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the search index: " + e.getMessage(), e);
    }
  }
}
