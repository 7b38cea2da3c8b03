package io.neuralake.table;

import io.neuralake.filter.Filter;
import java.util.List;

/**
 * What the catalog tells people about a table. Every table kind carries the same fields, so the
 * catalog site and API can show them uniformly.
 *
 * @param description what the table holds
 * @param dataInput where the data comes from
 * @param latencyInfo how fresh it is
 * @param exampleNotebook a link to a notebook that uses it
 * @param deprecated a deprecation message; blank when the table is current
 * @param docsFilters filters for documentation examples (a small, typical slice)
 * @param docsColumns columns for documentation examples
 */
public record TableMetadata(
    String description,
    String dataInput,
    String latencyInfo,
    String exampleNotebook,
    String deprecated,
    List<Filter> docsFilters,
    List<String> docsColumns) {

  public TableMetadata {
    description = nullToEmpty(description);
    dataInput = nullToEmpty(dataInput);
    latencyInfo = nullToEmpty(latencyInfo);
    exampleNotebook = nullToEmpty(exampleNotebook);
    deprecated = nullToEmpty(deprecated);
    docsFilters = List.copyOf(docsFilters);
    docsColumns = List.copyOf(docsColumns);
  }

  public static TableMetadata empty() {
    return new TableMetadata("", "", "", "", "", List.of(), List.of());
  }

  public boolean isDeprecated() {
    return !deprecated.isBlank();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s.strip();
  }
}
