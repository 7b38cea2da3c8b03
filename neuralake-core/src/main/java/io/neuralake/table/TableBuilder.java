package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata every table kind shares, as a fluent builder base. Each kind's builder extends it,
 * so {@code description(...)} and friends read the same on every table.
 */
public abstract class TableBuilder<B extends TableBuilder<B>> {
  protected final String name;
  private String description = "";
  private String dataInput = "";
  private String latencyInfo = "";
  private String exampleNotebook = "";
  private String deprecated = "";
  private final List<Filter> docsFilters = new ArrayList<>();
  private final List<String> docsColumns = new ArrayList<>();

  protected TableBuilder(String name) {
    this.name = requireNonNull(name, "name");
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "table name '" + name
          + "' is not valid: use letters, digits and underscores, starting with a letter or underscore");
    }
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  public B description(String text) {
    this.description = text;
    return self();
  }

  public B dataInput(String text) {
    this.dataInput = text;
    return self();
  }

  public B latencyInfo(String text) {
    this.latencyInfo = text;
    return self();
  }

  public B exampleNotebook(String url) {
    this.exampleNotebook = url;
    return self();
  }

  /** Marks the table deprecated: hidden from listings, and a warning is logged when it is read. */
  public B deprecated(String message) {
    this.deprecated = message == null || message.isBlank() ? "deprecated" : message;
    return self();
  }

  public B docsFilters(Filter... filters) {
    docsFilters.addAll(List.of(filters));
    return self();
  }

  public B docsColumns(String... columns) {
    docsColumns.addAll(List.of(columns));
    return self();
  }

  /** The table name being built. */
  public String name() {
    return name;
  }

  /** The metadata given so far. */
  public TableMetadata metadata() {
    return new TableMetadata(description, dataInput, latencyInfo, exampleNotebook, deprecated, docsFilters, docsColumns);
  }
}
