package io.neuralake.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a panel's SQL the way Grafana's PostgreSQL data source does before it sends it (its documented macros:
 * https://grafana.com/docs/grafana/latest/datasources/postgres/query-editor/#macros), so tests can send what
 * Grafana would send. Multi-value variables become Grafana's quoted, comma-separated lists.
 */
record GrafanaMacros(Instant from, Instant to, String interval, Map<String, List<String>> variables) {
  private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)\\(([^()]*)\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)}");

  String expand(String sql) {
    String s = sql.replace("$__interval_ms", Long.toString(seconds(interval) * 1000)).replace("$__interval", interval);
    Matcher m = MACRO.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(macro(m.group(1), args(m.group(2)))));
    }
    m.appendTail(out);
    Matcher v = VARIABLE.matcher(out.toString());
    StringBuilder done = new StringBuilder();
    while (v.find()) {
      String name = v.group(1) != null ? v.group(1) : v.group(2);
      List<String> values = variables.get(name);
      if (values == null) {
        throw new AssertionError("the panel names the variable $" + name + ", which the dashboard does not define");
      }
      v.appendReplacement(done, Matcher.quoteReplacement(
          values.stream().map(x -> "'" + x.replace("'", "''") + "'").collect(Collectors.joining(","))));
    }
    v.appendTail(done);
    return done.toString();
  }

  private String macro(String name, List<String> args) {
    return switch (name) {
      case "time" -> args.get(0) + " AS \"time\"";
      case "timeEpoch" -> "extract(epoch from " + args.get(0) + ") AS \"time\"";
      case "timeFilter" -> args.get(0) + " BETWEEN '" + iso(from) + "' AND '" + iso(to) + "'";
      case "timeFrom" -> "'" + iso(from) + "'";
      case "timeTo" -> "'" + iso(to) + "'";
      case "timeGroup" -> group(args);
      case "timeGroupAlias" -> group(args) + " AS \"time\"";
      default -> throw new AssertionError("a macro Grafana's PostgreSQL data source does not have: $__" + name);
    };
  }

  private static String group(List<String> args) {
    long step = seconds(args.get(1).replace("'", ""));
    return "floor(extract(epoch from " + args.get(0) + ")/" + step + ")*" + step;
  }

  private static long seconds(String interval) {
    long n = Long.parseLong(interval.substring(0, interval.length() - 1));
    return switch (interval.charAt(interval.length() - 1)) {
      case 's' -> n;
      case 'm' -> Duration.ofMinutes(n).toSeconds();
      case 'h' -> Duration.ofHours(n).toSeconds();
      case 'd' -> Duration.ofDays(n).toSeconds();
      default -> throw new AssertionError("an interval Grafana does not write: " + interval);
    };
  }

  private static List<String> args(String text) {
    return List.of(text.split(",")).stream().map(String::strip).toList();
  }

  private static String iso(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
