package io.neuralake.site;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.catalog.Catalog;
import io.neuralake.site.internal.ExportWriter;
import io.neuralake.spi.FileWrites;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The catalog as a documented, versioned JSON document: databases, tables, their metadata, columns with badges,
 * partitions, documentation filters, Delta details and recent history, and the code to copy for each table. Built
 * from the catalog code and the tables' metadata only (a Delta log, a listing, a Parquet footer): no table's rows
 * are read. The document's {@code format_version} is {@link #FORMAT_VERSION}; its JSON Schema is
 * {@link #jsonSchema()}, shipped beside the document as {@code catalog.schema.json}.
 *
 * <pre>{@code
 * CatalogExport export = CatalogExport.of(catalog, "catalog/");
 * export.writeTo(Path.of("catalog.json"));
 * }</pre>
 */
public final class CatalogExport {
  /** The version of the document's format: raised when a field changes meaning or goes away. */
  public static final int FORMAT_VERSION = ExportWriter.FORMAT_VERSION;
  static final String SCHEMA_RESOURCE = "catalog.schema.json";

  private final ObjectNode document;
  private final List<String> problems;
  /** The printed document, kept: the site writes it and a caller may ask for it too. */
  private volatile String json;

  private CatalogExport(ObjectNode document, List<String> problems) {
    this.document = document;
    this.problems = problems;
  }

  /**
   * Exports {@code catalog}; {@code catalogSource} is how its users load it ({@code --catalog PATH}, a folder of
   * Java sources or {@code JAR!CLASS}), written into the Java snippets as {@code CatalogLoader.load(...)}.
   * A table whose metadata cannot be read is still exported, with its problem listed ({@link #problems()}).
   */
  public static CatalogExport of(Catalog catalog, String catalogSource) {
    return of(catalog, catalogSource, ServerEndpoints.DEFAULTS);
  }

  /**
   * {@link #of(Catalog, String)} with the code to copy aimed at a server's doors ({@code servedAt}) rather than
   * {@code neuralake serve}'s defaults.
   */
  public static CatalogExport of(Catalog catalog, String catalogSource, ServerEndpoints servedAt) {
    requireNonNull(catalog, "catalog");
    requireNonNull(catalogSource, "catalogSource");
    requireNonNull(servedAt, "servedAt");
    ExportWriter writer = new ExportWriter(catalog, catalogSource, servedAt);
    ObjectNode document = writer.write();
    return new CatalogExport(document, writer.problems());
  }

  /** The document, pretty-printed. */
  public String json() {
    String text = json;
    if (text == null) {   // a benign race: two threads may print the same immutable document
      try {
        text = ExportWriter.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("could not write the catalog export as JSON: " + e.getMessage(), e);
      }
      json = text;
    }
    return text;
  }

  /** Writes the document to {@code file}, whole or not at all. */
  public void writeTo(Path file) throws IOException {
    String text = json();
    FileWrites.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
  }

  /** Problems met reading tables' metadata, each naming its table; those tables are exported without what failed. */
  public List<String> problems() {
    return problems;
  }

  /** The catalog's name. */
  public String catalogName() {
    return document.path("catalog").path("name").asText();
  }

  /** The JSON Schema (draft 2020-12) of the document. */
  public static String jsonSchema() {
    try (InputStream in = CatalogExport.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource io/neuralake/site/" + SCHEMA_RESOURCE
            + " is missing from the class path; the neuralake-site jar is incomplete: rebuild it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the catalog export's JSON Schema: " + e.getMessage(), e);
    }
  }

  /** The document itself, for the site generator in this module. */
  ObjectNode document() {
    return document;
  }
}
