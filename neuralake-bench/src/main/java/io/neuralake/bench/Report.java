package io.neuralake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Writes a suite's results as a Markdown table and a JSON file, with the machine they ran on. */
final class Report {
  private Report() {}

  /**
   * @param baseline the system every other one is compared with, run by run
   * @param bytes for queries that read a known amount of data, its size (adds a throughput column)
   */
  static String write(Suite.Result result, String baseline, Map<String, Long> bytes, Path dir, String title)
      throws IOException {
    Files.createDirectories(dir);
    String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Map<String, Object> machine = machine();
    String markdown = markdown(result, baseline, bytes, title, machine);
    Path md = dir.resolve(result.plan().name() + "-" + stamp + ".md");
    Files.writeString(md, markdown);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("suite", result.plan().name());
    json.put("title", title);
    json.put("date", ZonedDateTime.now(ZoneOffset.UTC).toString());
    json.put("machine", machine);
    json.put("config", result.plan().config());
    json.put("warmups", result.plan().warmups());
    json.put("runs", result.plan().runs());
    json.put("baseline", baseline);
    json.put("nanos", result.nanos());
    json.put("rows", result.rows());
    json.put("peakRssBytes", result.peakRss());
    json.put("answerProblems", result.problems());
    Map<String, Double> geo = new LinkedHashMap<>();
    for (String s : result.plan().systems()) {
      if (!s.equals(baseline)) {
        geo.put(s, geometricMeanRatio(result, s, baseline));
      }
    }
    json.put("geometricMeanRatioToBaseline", geo);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(md.getFileName().toString()
        .replace(".md", ".json")).toFile(), json);
    return markdown + "\n(written to " + md + " and .json)\n";
  }

  static String markdown(Suite.Result result, String baseline, Map<String, Long> bytes, String title,
      Map<String, Object> machine) {
    List<String> systems = result.plan().systems();
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(title).append("\n\n");
    sb.append("Machine: ").append(machine.get("cores")).append(" cores, ").append(machine.get("memory")).append(", ")
        .append(machine.get("jdk")).append("; DuckDB ").append(machine.get("duckdb")).append(", Spark ")
        .append(machine.get("spark")).append(", Delta Kernel ").append(machine.get("deltaKernel")).append(". ")
        .append(machine.get("date")).append(".\n\n");
    sb.append(result.plan().runs()).append(" measured runs after ").append(Math.max(1, result.plan().warmups()))
        .append(" warm-up, systems interleaved query by query. Times: median wall-clock ms (min–max).")
        .append(" `÷ ").append(baseline).append("`: the median over runs of the system's time divided by ")
        .append(baseline).append("'s time in the same run (above 1: slower than ").append(baseline).append(").\n\n");
    sb.append("| query | rows |");
    for (String s : systems) {
      sb.append(' ').append(s).append(" |");
      if (!s.equals(baseline)) {
        sb.append(" ÷ ").append(baseline).append(" |");
      }
      if (!bytes.isEmpty()) {
        sb.append(" MB/s |");
      }
    }
    sb.append("\n|---|---|");
    for (String s : systems) {
      sb.append("---|");
      if (!s.equals(baseline)) {
        sb.append("---|");
      }
      if (!bytes.isEmpty()) {
        sb.append("---|");
      }
    }
    sb.append('\n');
    for (String q : result.plan().queries()) {
      Integer rows = result.rows().get(baseline) == null ? null : result.rows().get(baseline).get(q);
      if (rows == null) {
        rows = result.rows().values().stream().map(m -> m.get(q)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
      }
      sb.append("| ").append(q).append(" | ").append(rows == null ? "" : rows).append(" |");
      for (String s : systems) {
        List<Long> t = result.nanos().get(s).get(q);
        sb.append(' ').append(t == null ? "—" : ms(median(t)) + " (" + ms(Collections.min(t)) + "–" + ms(Collections.max(t)) + ")").append(" |");
        if (!s.equals(baseline)) {
          Double r = pairedRatio(result, s, baseline, q);
          sb.append(' ').append(r == null ? "—" : String.format(Locale.ROOT, "%.2f", r)).append(" |");
        }
        if (!bytes.isEmpty()) {
          Long b = bytes.get(q);
          sb.append(' ').append(t == null || b == null ? "—" : String.format(Locale.ROOT, "%.0f", b / 1e6 / (median(t) / 1e9))).append(" |");
        }
      }
      sb.append('\n');
    }
    sb.append("| geometric mean | |");
    for (String s : systems) {
      sb.append(" |");
      if (!s.equals(baseline)) {
        double g = geometricMeanRatio(result, s, baseline);
        sb.append(' ').append(Double.isNaN(g) ? "—" : String.format(Locale.ROOT, "**%.2f**", g)).append(" |");
      }
      if (!bytes.isEmpty()) {
        sb.append(" |");
      }
    }
    sb.append("\n\nPeak memory (RSS of each worker process):");
    result.peakRss().forEach((s, b) -> sb.append(' ').append(s).append(' ')
        .append(b < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30))).append(';'));
    sb.setLength(sb.length() - 1);
    sb.append(".\n\nAnswers: ").append(result.problems().isEmpty() ? "every system returned the same rows."
        : String.join("; ", result.problems())).append('\n');
    return sb.toString();
  }

  static double median(List<Long> values) {
    List<Long> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
  }

  private static String ms(double nanos) {
    double ms = nanos / 1e6;
    return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
  }

  /** Median over runs of system time / baseline time in the same run. */
  static Double pairedRatio(Suite.Result result, String system, String baseline, String query) {
    List<Long> a = result.nanos().get(system).get(query);
    List<Long> b = result.nanos().getOrDefault(baseline, Map.of()).get(query);
    if (a == null || b == null) {
      return null;
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      ratios.add(a.get(i) / (double) b.get(i));
    }
    Collections.sort(ratios);
    int n = ratios.size();
    return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
  }

  static double geometricMeanRatio(Suite.Result result, String system, String baseline) {
    double logSum = 0;
    int n = 0;
    for (String q : result.plan().queries()) {
      Double r = pairedRatio(result, system, baseline, q);
      if (r != null && r > 0) {
        logSum += Math.log(r);
        n++;
      }
    }
    return n == 0 ? Double.NaN : Math.exp(logSum / n);
  }

  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory", memory());
    m.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("duckdb", duckdbVersion());
    m.put("spark", mavenVersion("org.apache.spark", "spark-sql_2.13"));
    m.put("deltaKernel", io.delta.kernel.Meta.KERNEL_VERSION);
    m.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE));
    return m;
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB RAM", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "? RAM";
  }

  private static String duckdbVersion() {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); ResultSet rs = c.createStatement().executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    } catch (Exception e) {
      return "?";
    }
  }

  private static String mavenVersion(String group, String artifact) {
    String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Report.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        return "?";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "?");
    } catch (IOException e) {
      return "?";
    }
  }
}
