package io.neuralake.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A query's rows in a form every system's values reduce to: numbers as decimals, dates as ISO
 * text. Answers compare ignoring row order and with a small relative tolerance on numbers, since
 * engines add floating-point values in different orders.
 */
public final class Answer {
  private static final double TOLERANCE = 1e-6;

  private Answer() {}

  public static String cell(Object v) {
    return switch (v) {
      case null -> "null";
      case BigDecimal d -> d.stripTrailingZeros().toPlainString();
      case Double d when d.isNaN() || d.isInfinite() -> d.toString();
      case Float f when f.isNaN() || f.isInfinite() -> f.toString();
      case Double d -> new BigDecimal(d).round(MathContext.DECIMAL64).stripTrailingZeros().toPlainString();
      case Float f -> new BigDecimal(f).round(MathContext.DECIMAL32).stripTrailingZeros().toPlainString();
      case Number n -> new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
      case java.sql.Date d -> d.toLocalDate().toString();
      case java.sql.Timestamp t -> t.toLocalDateTime().toString();
      case LocalDate d -> d.toString();
      case LocalDateTime t -> t.toString();
      default -> v.toString();
    };
  }

  /** Null if the answers agree, else a description of the first difference. */
  public static String difference(List<List<String>> a, List<List<String>> b) {
    if (a.size() != b.size()) {
      return a.size() + " rows vs " + b.size() + " rows";
    }
    List<List<String>> x = sorted(a);
    List<List<String>> y = sorted(b);
    for (int r = 0; r < x.size(); r++) {
      if (x.get(r).size() != y.get(r).size()) {
        return "row " + r + " has " + x.get(r).size() + " vs " + y.get(r).size() + " columns";
      }
      for (int c = 0; c < x.get(r).size(); c++) {
        if (!same(x.get(r).get(c), y.get(r).get(c))) {
          return "row " + r + " column " + c + ": " + x.get(r) + " vs " + y.get(r);
        }
      }
    }
    return null;
  }

  private static List<List<String>> sorted(List<List<String>> rows) {
    List<List<String>> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing(Answer::sortKey));
    return out;
  }

  /** Numbers rounded coarsely for ordering, so near-equal values sort alike in both answers. */
  private static String sortKey(List<String> row) {
    return row.stream().map(v -> {
      try {
        return new BigDecimal(v).round(new MathContext(5)).toPlainString();
      } catch (NumberFormatException e) {
        return v;
      }
    }).collect(Collectors.joining("\u0001"));
  }

  private static boolean same(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      BigDecimal x = new BigDecimal(a);
      BigDecimal y = new BigDecimal(b);
      double scale = Math.max(Math.abs(x.doubleValue()), Math.abs(y.doubleValue()));
      return Math.abs(x.subtract(y).doubleValue()) <= TOLERANCE * Math.max(1.0, scale);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
