package io.neuralake.site.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How the site reads the catalog export: by key, failing on a key the export does not write, and recording each
 * key read (as {@code $.databases[].tables[].name}) so a test can hold the pages to the export's field names.
 */
public final class JsonView {
  private final JsonNode node;
  private final String path;
  private final Set<String> reads;

  private JsonView(JsonNode node, String path, Set<String> reads) {
    this.node = node;
    this.path = path;
    this.reads = reads;
  }

  /** A view of the document's root; every key read through it and its children is added to {@code reads}. */
  public static JsonView root(JsonNode document, Set<String> reads) {
    return new JsonView(document, "$", reads);
  }

  private JsonNode get(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      throw new IllegalStateException("the site reads '" + path + "." + key + "', which the catalog export does not"
          + " write; the reader and the exporter disagree on field names");
    }
    reads.add(path + "." + key);
    return value;
  }

  public String text(String key) {
    JsonNode v = get(key);
    return v.isNull() ? "" : v.asText();
  }

  public boolean bool(String key) {
    return get(key).asBoolean();
  }

  public long number(String key) {
    return get(key).asLong();
  }

  public OptionalLong optNumber(String key) {
    JsonNode v = get(key);
    return v.isNull() ? OptionalLong.empty() : OptionalLong.of(v.asLong());
  }

  public JsonView object(String key) {
    return new JsonView(get(key), path + "." + key, reads);
  }

  public List<JsonView> list(String key) {
    List<JsonView> out = new ArrayList<>();
    for (JsonNode item : get(key)) {
      out.add(new JsonView(item, path + "." + key + "[]", reads));
    }
    return out;
  }

  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    get(key).forEach(item -> out.add(item.asText()));
    return out;
  }

  /** An object of free-form string values (such as table properties). */
  public Map<String, String> map(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    get(key).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** A value as JSON text (a filter's value: a number, string or list). */
  public String json(String key) {
    return get(key).toString();
  }
}
