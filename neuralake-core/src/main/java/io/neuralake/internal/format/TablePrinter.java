package io.neuralake.internal.format;

import io.neuralake.frame.DataFrame;
import io.neuralake.types.Field;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a frame as polars does: its shape, then a box with a header of names and types. Long
 * frames show their first and last rows around a "…" row; wide ones their first and last columns.
 */
public final class TablePrinter {
  private static final int MAX_CELL = 32;
  private static final String ELLIPSIS = "…";

  private TablePrinter() {}

  public static String render(DataFrame frame, int maxRows, int maxColumns) {
    List<Field> fields = frame.schema().fields();
    long rows = frame.rowCount();

    List<Integer> columns = pick(fields.size(), Math.max(2, maxColumns)).stream().map(Long::intValue).toList();
    List<Long> rowIndexes = pick(rows, Math.max(2, maxRows));

    List<String[]> cells = new ArrayList<>();
    String[] names = new String[columns.size()];
    String[] types = new String[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      int index = columns.get(c);
      names[c] = index < 0 ? ELLIPSIS : fields.get(index).name();
      types[c] = index < 0 ? "" : fields.get(index).type().toString();
    }
    for (Long r : rowIndexes) {
      String[] line = new String[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        int index = columns.get(c);
        line[c] = r < 0 || index < 0 ? ELLIPSIS : format(frame.get(r, fields.get(index).name()));
      }
      cells.add(line);
    }

    int[] width = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      width[c] = Math.max(3, Math.max(names[c].length(), types[c].length()));
      for (String[] line : cells) {
        width[c] = Math.max(width[c], line[c].length());
      }
    }

    StringBuilder sb = new StringBuilder();
    sb.append("shape: (").append(rows).append(", ").append(fields.size()).append(")\n");
    sb.append(border('┌', '─', '┬', '┐', width));
    sb.append(line(names, width));
    sb.append(line(fill(columns.size(), "---"), width));
    sb.append(line(types, width));
    sb.append(border('╞', '═', '╪', '╡', width));
    for (String[] line : cells) {
      sb.append(line(line, width));
    }
    sb.append(border('└', '─', '┴', '┘', width));
    return sb.toString().stripTrailing();
  }

  /** Indexes to show, the first and last ones when there are too many; -1 marks the elided middle. */
  private static List<Long> pick(long n, int max) {
    List<Long> out = new ArrayList<>();
    long head = n <= max ? n : (max + 1) / 2;
    for (long i = 0; i < head; i++) {
      out.add(i);
    }
    if (n > max) {
      out.add(-1L);
      for (long i = n - max / 2; i < n; i++) {
        out.add(i);
      }
    }
    return out;
  }

  static String format(Object value) {
    String s;
    if (value == null) {
      s = "null";
    } else if (value instanceof LocalDateTime t) {
      s = t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replace('T', ' ');
    } else if (value instanceof Double d && !d.isNaN() && !d.isInfinite() && d != 0
        && Math.abs(d) >= 1e-4 && Math.abs(d) < 1e15) {
      // plain digits, as polars prints floats of ordinary size (Java would write 2.06E8)
      s = java.math.BigDecimal.valueOf(d).toPlainString();
      s = s.contains(".") ? s : s + ".0";
    } else if (value instanceof byte[] b) {
      s = "b\"" + b.length + " bytes\"";
    } else {
      s = String.valueOf(value);
    }
    s = s.replace("\n", "\\n");
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + ELLIPSIS : s;
  }

  private static String[] fill(int n, String s) {
    String[] out = new String[n];
    java.util.Arrays.fill(out, s);
    return out;
  }

  private static String border(char left, char fill, char mid, char right, int[] width) {
    StringBuilder sb = new StringBuilder().append(left);
    for (int c = 0; c < width.length; c++) {
      if (c > 0) {
        sb.append(mid);
      }
      sb.append(String.valueOf(fill).repeat(width[c] + 2));
    }
    return sb.append(right).append('\n').toString();
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder("│");
    for (int c = 0; c < width.length; c++) {
      if (c > 0) {
        sb.append('┆');
      }
      sb.append(' ').append(cells[c]).append(" ".repeat(width[c] - cells[c].length() + 1));
    }
    return sb.append("│\n").toString();
  }
}
