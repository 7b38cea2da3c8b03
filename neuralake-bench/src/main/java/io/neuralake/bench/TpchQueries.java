package io.neuralake.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The 22 TPC-H queries with the specification's validation parameters, written once in SQL that
 * DuckDB, Spark and Neuralake all accept (Q15's view as a CTE; {@code substring(x, 1, 2)}).
 */
public final class TpchQueries {
  private TpchQueries() {}

  public static List<String> ids() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= 22; i++) {
      out.add(id(i));
    }
    return out;
  }

  public static String id(int n) {
    return String.format(Locale.ROOT, "q%02d", n);
  }

  /** The query text; Q11's fraction scales with the data (0.0001 / SF), as the specification says. */
  public static String sql(String id, double scaleFactor) {
    if (id.startsWith("scan-")) {
      // a full read of one table's files (cold S3 reads fetch them whole)
      return "SELECT count(*) AS n FROM " + id.substring("scan-".length());
    }
    try (InputStream in = TpchQueries.class.getResourceAsStream("tpch/" + id + ".sql")) {
      if (in == null) {
        throw new IllegalArgumentException("no TPC-H query '" + id + "'; they are q01 to q22");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return text.replace("${FRACTION}", String.format(Locale.ROOT, "%.10f", 0.0001 / scaleFactor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses "1,3,6" or "q1,q03" or "all". */
  public static List<String> parse(String list) {
    if (list == null || list.isBlank() || list.equalsIgnoreCase("all")) {
      return ids();
    }
    List<String> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT).replaceFirst("^q", "");
      int n = Integer.parseInt(p);
      if (n < 1 || n > 22) {
        throw new IllegalArgumentException("TPC-H has queries 1 to 22, not " + n);
      }
      out.add(id(n));
    }
    return out;
  }
}
