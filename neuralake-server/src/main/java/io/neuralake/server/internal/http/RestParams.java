package io.neuralake.server.internal.http;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Operator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ROAPI's REST query parameters: {@code columns=a,b}, {@code sort=a,-b}, {@code limit=n},
 * {@code page=n}, {@code filter[col]=v} and {@code filter[col]OP=v} with OP one of eq, ne, lt,
 * lte, gt, gte, in (comma-separated values), contains. Anything else is refused, naming it.
 */
final class RestParams {
  private static final Pattern FILTER = Pattern.compile("filter\\[([^\\]]*)\\]([a-z]*)");

  private RestParams() {}

  static TableRead parse(TableRef table, Map<String, List<String>> params) {
    TableRead read = new TableRead(table);
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      String key = p.getKey();
      for (String value : p.getValue()) {
        String shown = key + "=" + value;
        switch (key) {
          case "columns" -> read.columns(names(value, shown), shown);
          case "sort" -> {
            for (String s : names(value, shown)) {
              boolean desc = s.startsWith("-");
              read.sort(desc || s.startsWith("+") ? s.substring(1) : s, desc, shown);
            }
          }
          case "limit" -> read.limit(number(value, shown), shown);
          case "page" -> read.page(number(value, shown), shown);
          default -> {
            Matcher m = FILTER.matcher(key);
            if (!m.matches()) {
              throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "unknown parameter '" + key + "'; a table read"
                  + " takes columns=a,b, sort=a,-b, limit=N, page=N, filter[COLUMN]=V and filter[COLUMN]OP=V"
                  + " (OP: eq, ne, lt, lte, gt, gte, in, contains)");
            }
            read.filter(m.group(1), operator(m.group(2), shown), value, shown);
          }
        }
      }
    }
    return read;
  }

  static Operator operator(String op, String shown) {
    return switch (op) {
      case "", "eq" -> Operator.EQ;
      case "ne" -> Operator.NE;
      case "lt" -> Operator.LT;
      case "lte" -> Operator.LE;
      case "gt" -> Operator.GT;
      case "gte" -> Operator.GE;
      case "in" -> Operator.IN;
      case "contains" -> Operator.CONTAINS;
      default -> throw new NeuralakeException(ErrorCode.INVALID_FILTER, shown + ": unknown filter operator '" + op
          + "'; use eq, ne, lt, lte, gt, gte, in or contains");
    };
  }

  private static List<String> names(String value, String shown) {
    List<String> names = Arrays.stream(value.split(",", -1)).map(String::strip).toList();
    if (names.stream().anyMatch(String::isEmpty)) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, shown + ": give column names separated by commas");
    }
    return names;
  }

  private static long number(String value, String shown) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, shown + ": '" + value + "' is not a whole number");
    }
  }
}
