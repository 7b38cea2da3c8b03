package io.neuralake.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * The rows a {@code SELECT} needs of its one table when it needs only the first ones:
 * {@code SELECT a, b | * FROM db.t LIMIT n [OFFSET m]} needs {@code n + m}, any of them. Anything
 * that reads rows the limit does not count — a {@code WHERE} (its rows are dropped after the read),
 * a join, grouping or an aggregate, {@code DISTINCT}, {@code ORDER BY}, a window, a sample, an
 * expression in the select list (it might be an aggregate) — means no limit.
 */
final class SelectLimit {
  private SelectLimit() {}

  static OptionalLong of(JsonNode select) {
    if (!select.path("from_table").path("type").asText("").equals("BASE_TABLE")
        || !absent(select.path("where_clause")) || !absent(select.path("having"))
        || !absent(select.path("qualify")) || !absent(select.path("sample"))
        || !select.path("group_expressions").isEmpty() || !select.path("group_sets").isEmpty()
        || !select.path("aggregate_handling").asText("STANDARD_HANDLING").equals("STANDARD_HANDLING")) {
      return OptionalLong.empty();
    }
    for (JsonNode item : select.path("select_list")) {
      if (!plainColumn(item) && !plainStar(item)) {
        return OptionalLong.empty();
      }
    }
    JsonNode modifiers = select.path("modifiers");
    if (modifiers.size() != 1) {
      return OptionalLong.empty();
    }
    JsonNode limit = modifiers.get(0);
    if (!limit.path("type").asText().equals("LIMIT_MODIFIER")
        || !limit.path("limit_type").asText("ROW_COUNT").equals("ROW_COUNT")) {
      return OptionalLong.empty();
    }
    Long rows = integer(limit.path("limit"));
    Long offset = absent(limit.path("offset")) ? Long.valueOf(0) : integer(limit.path("offset"));
    if (rows == null || offset == null || rows > Long.MAX_VALUE - offset) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(rows + offset);
  }

  private static boolean plainColumn(JsonNode item) {
    return item.path("class").asText().equals("COLUMN_REF");
  }

  /** {@code *} or {@code t.*}, at most with {@code EXCLUDE}: no replaced, renamed or {@code COLUMNS(...)} columns. */
  private static boolean plainStar(JsonNode item) {
    return item.path("class").asText().equals("STAR") && !item.path("columns").asBoolean(false)
        && absent(item.path("expr")) && item.path("replace_list").isEmpty() && item.path("rename_list").isEmpty();
  }

  /** A non-negative integer constant, or null. */
  private static Long integer(JsonNode e) {
    if (!e.path("class").asText().equals("CONSTANT")) {
      return null;
    }
    String text = e.path("literal").path("kind").asText().equals("INTEGER") ? e.path("literal").path("text").asText()
        : e.path("value").path("value").isIntegralNumber() ? e.path("value").path("value").asText() : null;
    if (text == null) {
      return null;
    }
    BigInteger value = new BigInteger(text);
    return value.signum() < 0 || value.bitLength() >= 63 ? null : value.longValue();
  }

  private static boolean absent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }
}
