package io.neuralake.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which column names a SQL statement can read, from its syntax tree ({@code json_serialize_sql}),
 * so that a source that pays per column (a remote database) is asked only for those. It errs on
 * the side of more: every name of every column reference anywhere in the statement counts (a
 * {@code t.x} counts {@code t} and {@code x}; a name in a subquery counts for every table), and
 * anything that reads columns it does not name — {@code *}, {@code COLUMNS(...)}, a positional
 * {@code #n}, a natural join, a {@code PIVOT} — means every column. A read of more columns than
 * needed costs bytes; one of fewer would fail the query, so this never leaves one out.
 */
final class ColumnUse {
  private final Set<String> names = new HashSet<>();
  /** Names used alone ({@code x}, not {@code t.x}): where a table's own name stands for its whole row. */
  private final Set<String> alone = new HashSet<>();
  private boolean everything;

  private ColumnUse() {}

  /** The names the statement uses, lower-cased. */
  static ColumnUse of(JsonNode statement) {
    ColumnUse use = new ColumnUse();
    use.visit(statement);
    return use;
  }

  /**
   * The lower-cased names a table reference may read, or empty if it may read every column: also
   * when the statement names the table itself as a value ({@code SELECT t FROM db.t AS t} reads whole rows).
   */
  Optional<Set<String>> of(String tableName, String alias) {
    if (everything || alone.contains(lower(tableName)) || alone.contains(lower(alias))) {
      return Optional.empty();
    }
    return Optional.of(Set.copyOf(names));
  }

  private void visit(JsonNode node) {
    if (everything) {
      return;
    }
    if (node.isObject()) {
      String cls = node.path("class").asText("");
      String type = node.path("type").asText("");
      switch (cls) {
        case "COLUMN_REF" -> {
          node.path("column_names").forEach(n -> names.add(lower(n.asText())));
          if (node.path("column_names").size() == 1) {
            alone.add(lower(node.path("column_names").get(0).asText()));
          }
        }
        case "STAR", "COLUMNS", "POSITIONAL_REFERENCE" -> everything = true;
        default -> { }
      }
      if (type.equals("PIVOT") || type.equals("JOIN") && node.path("ref_type").asText("").equals("NATURAL")) {
        everything = true;
      }
      node.path("using_columns").forEach(n -> names.add(lower(n.asText())));
    }
    for (JsonNode child : node) {
      visit(child);
    }
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
