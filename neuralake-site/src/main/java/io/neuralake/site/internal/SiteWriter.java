package io.neuralake.site.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Renders every page from the export document, with the assets: into a folder, or in memory for a server. */
public final class SiteWriter {
  private final JsonNode document;
  private final String json;
  private final String schema;
  private final Live live;
  private final Set<String> reads = new LinkedHashSet<>();

  public SiteWriter(JsonNode document, String json, String schema, Live live) {
    this.document = document;
    this.json = json;
    this.schema = schema;
    this.live = live;
  }

  /** The export's keys the pages read, as {@code $.databases[].tables[].name}: what a test compares with the export. */
  public Set<String> reads() {
    return reads;
  }

  public List<Path> write(Path dir, Consumer<String> progress) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException("cannot write the site to " + dir + ": it is a file, not a folder; choose another --out");
    }
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : render(progress).entrySet()) {
      Path target = dir.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.write(target, file.getValue());
      written.add(Path.of(file.getKey()));
    }
    return written;
  }

  /** Every file of the site by its path relative to the root ({@code db/tpch/orders.html}), in writing order. */
  public Map<String, byte[]> render(Consumer<String> progress) throws IOException {
    JsonView doc = JsonView.root(document, reads);
    Map<String, byte[]> out = new LinkedHashMap<>();
    put(out, "catalog.json", json);
    put(out, "catalog.schema.json", schema);
    put(out, SearchIndex.FILE, SearchIndex.script(doc));
    List<String> assets = new ArrayList<>(SiteAssets.STATIC);
    if (live.on()) {
      assets.addAll(SiteAssets.LIVE_CSS);
      assets.addAll(SiteAssets.LIVE_JS);
    }
    for (String asset : assets) {
      out.put("assets/" + asset, SiteAssets.read(asset));
    }
    put(out, "index.html", BrowsePages.index(doc, live));
    for (JsonView db : doc.list("databases")) {
      String d = db.text("name");
      List<JsonView> tables = db.list("tables");
      progress.accept("database " + d + ": " + tables.size() + (tables.size() == 1 ? " table" : " tables"));
      put(out, SitePaths.database(d), BrowsePages.database(doc, db, live));
      for (JsonView t : tables) {
        put(out, SitePaths.table(d, t.text("name")), TablePage.render(doc, d, t, live));
      }
    }
    return out;
  }

  private static void put(Map<String, byte[]> out, String path, String text) {
    out.put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Renders the pages without writing them: the keys they read end up in {@link #reads()}. */
  public void renderAll() {
    JsonView doc = JsonView.root(document, reads);
    SearchIndex.script(doc);
    BrowsePages.index(doc, live);
    for (JsonView db : doc.list("databases")) {
      BrowsePages.database(doc, db, live);
      for (JsonView t : db.list("tables")) {
        TablePage.render(doc, db.text("name"), t, live);
      }
    }
  }
}
