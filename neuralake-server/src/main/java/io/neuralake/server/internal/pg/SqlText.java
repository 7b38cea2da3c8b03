package io.neuralake.server.internal.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL text with its code told apart from string literals, quoted identifiers and comments, so that
 * rewrites (parameters, catalog relations, functions) touch only code: a {@code $1} or a
 * {@code pg_class} inside a string stays as it is.
 */
final class SqlText {
  private final String sql;
  private final boolean[] code;

  SqlText(String sql) {
    this.sql = sql;
    this.code = mask(sql);
  }

  String sql() {
    return sql;
  }

  boolean isCode(int i) {
    return i < code.length && code[i];
  }

  private static boolean[] mask(String s) {
    boolean[] m = new boolean[s.length()];
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int end;
      if (c == '\'' || c == '"') {
        end = closing(s, i + 1, c);
      } else if (c == '-' && s.startsWith("--", i)) {
        end = s.indexOf('\n', i);
        end = end < 0 ? s.length() : end;
      } else if (c == '/' && s.startsWith("/*", i)) {
        end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
      } else if (c == '$' && dollarTag(s, i) != null) {
        String tag = dollarTag(s, i);
        end = s.indexOf(tag, i + tag.length());
        end = end < 0 ? s.length() : end + tag.length();
      } else {
        m[i++] = true;
        continue;
      }
      i = end;
    }
    return m;
  }

  /** Index after the quote closing one opened before {@code from} (a doubled quote is an escaped one). */
  private static int closing(String s, int from, char quote) {
    int i = from;
    while (i < s.length()) {
      if (s.charAt(i) == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (quote == '\'' && s.charAt(i) == '\\' && from >= 2 && (s.charAt(from - 2) == 'E' || s.charAt(from - 2) == 'e')) {
        i += 2; // E'...' strings take backslash escapes
        continue;
      }
      i++;
    }
    return s.length();
  }

  /** {@code $tag$} opening a dollar-quoted string at {@code i}, or null ({@code $1} is a parameter). */
  private static String dollarTag(String s, int i) {
    int j = i + 1;
    while (j < s.length() && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_')) {
      j++;
    }
    return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
  }

  /** Replaces each match of {@code pattern} that starts in code with what {@code replacement} gives. */
  SqlText replace(Pattern pattern, Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(sql);
    StringBuilder sb = new StringBuilder();
    int last = 0;
    boolean changed = false;
    while (m.find()) {
      if (!isCode(m.start())) {
        continue;
      }
      String r = replacement.apply(m);
      if (r == null) {
        continue;
      }
      sb.append(sql, last, m.start()).append(r);
      last = m.end();
      changed = true;
    }
    if (!changed) {
      return this;
    }
    return new SqlText(sb.append(sql.substring(last)).toString());
  }

  /**
   * Replaces each call of {@code function} (optionally {@code pg_catalog.}-qualified) in code by
   * what {@code replacement} makes of its arguments' text.
   */
  SqlText replaceCalls(String function, Function<List<String>, String> replacement) {
    Pattern p = Pattern.compile("(?i)(?<![\\w.])(?:pg_catalog\\s*\\.\\s*)?" + Pattern.quote(function) + "\\s*\\(");
    SqlText t = this;
    for (int guard = 0; guard < 100; guard++) {
      Matcher m = p.matcher(t.sql);
      int start = -1;
      while (m.find()) {
        if (t.isCode(m.start())) {
          start = m.start();
          break;
        }
      }
      if (start < 0) {
        return t;
      }
      int open = m.end() - 1;
      List<String> args = new ArrayList<>();
      int depth = 0;
      int argStart = open + 1;
      int close = -1;
      for (int i = open; i < t.sql.length(); i++) {
        if (!t.isCode(i)) {
          continue;
        }
        char c = t.sql.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0) {
            close = i;
            break;
          }
        } else if (c == ',' && depth == 1) {
          args.add(t.sql.substring(argStart, i).strip());
          argStart = i + 1;
        }
      }
      if (close < 0) {
        return t; // unbalanced: the engine reports the syntax error
      }
      String last = t.sql.substring(argStart, close).strip();
      if (!last.isEmpty() || !args.isEmpty()) {
        args.add(last);
      }
      t = new SqlText(t.sql.substring(0, start) + replacement.apply(args) + t.sql.substring(close + 1));
    }
    return t;
  }

  /**
   * The statements of a text that may hold several (a simple query's {@code BEGIN; SELECT ...;
   * COMMIT}): split at the semicolons in code, blank ones left out.
   */
  List<String> statements() {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= sql.length(); i++) {
      if (i == sql.length() || (sql.charAt(i) == ';' && isCode(i))) {
        String one = sql.substring(start, i);
        if (!PgSession.isEmpty(one)) {
          out.add(one);
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The highest {@code $n} parameter in code (0 when none). */
  int parameterCount() {
    int max = 0;
    Matcher m = PARAMETER.matcher(sql);
    while (m.find()) {
      if (isCode(m.start())) {
        try {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
          max = Integer.MAX_VALUE;
        }
      }
    }
    return max;
  }

  static final Pattern PARAMETER = Pattern.compile("(?<![\\w$])\\$(\\d+)(?![\\w$])");
}
