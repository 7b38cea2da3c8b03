package io.neuralake.site.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Renders every page from the export document and writes them with the assets into a folder. */
public final class SiteWriter {
  /** The site's own files, shipped as resources beside this class. */
  static final List<String> ASSETS = List.of("site.css", "site.js");

  private final JsonNode document;
  private final String json;
  private final String schema;
  private final Set<String> reads = new LinkedHashSet<>();

  public SiteWriter(JsonNode document, String json, String schema) {
    this.document = document;
    this.json = json;
    this.schema = schema;
  }

  /** The export's keys the pages read, as {@code $.databases[].tables[].name}: what a test compares with the export. */
  public Set<String> reads() {
    return reads;
  }

  public List<Path> write(Path dir, Consumer<String> progress) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException("cannot write the site to " + dir + ": it is a file, not a folder; choose another --out");
    }
    JsonView doc = JsonView.root(document, reads);
    List<Path> written = new ArrayList<>();
    write(dir, "catalog.json", json, written);
    write(dir, "catalog.schema.json", schema, written);
    write(dir, SearchIndex.FILE, SearchIndex.script(doc), written);
    for (String asset : ASSETS) {
      write(dir, "assets/" + asset, resource(asset), written);
    }
    write(dir, "index.html", BrowsePages.index(doc), written);
    for (JsonView db : doc.list("databases")) {
      String d = db.text("name");
      List<JsonView> tables = db.list("tables");
      progress.accept("database " + d + ": " + tables.size() + (tables.size() == 1 ? " table" : " tables"));
      write(dir, SitePaths.database(d), BrowsePages.database(doc, db), written);
      for (JsonView t : tables) {
        write(dir, SitePaths.table(d, t.text("name")), TablePage.render(doc, d, t), written);
      }
    }
    return written;
  }

  private static void write(Path dir, String relative, String text, List<Path> written) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    written.add(Path.of(relative));
  }

  /** Renders the pages without writing them: the keys they read end up in {@link #reads()}. */
  public void renderAll() {
    JsonView doc = JsonView.root(document, reads);
    SearchIndex.script(doc);
    BrowsePages.index(doc);
    for (JsonView db : doc.list("databases")) {
      BrowsePages.database(doc, db);
      for (JsonView t : db.list("tables")) {
        TablePage.render(doc, db.text("name"), t);
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SiteWriter.class.getResourceAsStream("/io/neuralake/site/assets/" + name)) {
      if (in == null) {
        throw new IOException("the site asset " + name + " is missing from the class path; rebuild neuralake-site");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
