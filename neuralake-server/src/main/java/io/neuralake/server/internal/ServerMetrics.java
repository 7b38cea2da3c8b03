package io.neuralake.server.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters, in Prometheus' text format at {@code /metrics}: queries by door and
 * status, their latency as a histogram, rows and bytes sent, and the queries running and waiting.
 */
public final class ServerMetrics {
  /** Latency bucket bounds in seconds (Prometheus' {@code le}). */
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  private final Map<String, LongAdder> queries = new ConcurrentHashMap<>();
  private final Map<String, LongAdder[]> latency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> latencySumMicros = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> rowsOut = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> bytesOut = new ConcurrentHashMap<>();
  private final Map<String, IntSupplier> gauges = new ConcurrentHashMap<>();

  /** One finished query (or request that ran one): its door, outcome, time and what it sent. */
  public void query(String door, String status, long nanos, long rows, long bytes) {
    queries.computeIfAbsent(door + "\u0000" + status, k -> new LongAdder()).increment();
    LongAdder[] counts = latency.computeIfAbsent(door, k -> newBuckets());
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        counts[i].increment();
      }
    }
    counts[BUCKETS.length].increment();
    latencySumMicros.computeIfAbsent(door, k -> new LongAdder()).add(nanos / 1000);
    rowsOut.computeIfAbsent(door, k -> new LongAdder()).add(rows);
    bytesOut.computeIfAbsent(door, k -> new LongAdder()).add(bytes);
  }

  /** A value read when the metrics are rendered (queries running, queued, cache hits). */
  public void gauge(String name, IntSupplier value) {
    gauges.put(name, value);
  }

  private static LongAdder[] newBuckets() {
    LongAdder[] a = new LongAdder[BUCKETS.length + 1];
    for (int i = 0; i < a.length; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  /** Prometheus text exposition format, version 0.0.4. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP neuralake_queries_total Queries finished, by door and status.\n");
    sb.append("# TYPE neuralake_queries_total counter\n");
    new TreeMap<>(queries).forEach((k, v) -> {
      String[] parts = k.split("\u0000", 2);
      sb.append("neuralake_queries_total{door=\"").append(parts[0]).append("\",status=\"").append(parts[1])
          .append("\"} ").append(v.sum()).append('\n');
    });
    sb.append("# HELP neuralake_query_seconds Query latency, by door.\n");
    sb.append("# TYPE neuralake_query_seconds histogram\n");
    new TreeMap<>(latency).forEach((door, counts) -> {
      for (int i = 0; i < BUCKETS.length; i++) {
        sb.append("neuralake_query_seconds_bucket{door=\"").append(door).append("\",le=\"")
            .append(String.format(Locale.ROOT, "%s", BUCKETS[i])).append("\"} ").append(counts[i].sum()).append('\n');
      }
      sb.append("neuralake_query_seconds_bucket{door=\"").append(door).append("\",le=\"+Inf\"} ")
          .append(counts[BUCKETS.length].sum()).append('\n');
      sb.append("neuralake_query_seconds_sum{door=\"").append(door).append("\"} ")
          .append(String.format(Locale.ROOT, "%.6f", latencySumMicros.get(door).sum() / 1e6)).append('\n');
      sb.append("neuralake_query_seconds_count{door=\"").append(door).append("\"} ")
          .append(counts[BUCKETS.length].sum()).append('\n');
    });
    counter(sb, "neuralake_rows_out_total", "Rows sent, by door.", rowsOut);
    counter(sb, "neuralake_bytes_out_total", "Result bytes sent, by door.", bytesOut);
    new TreeMap<>(gauges).forEach((name, value) -> sb.append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value.getAsInt()).append('\n'));
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help, Map<String, LongAdder> byDoor) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    new TreeMap<>(byDoor).forEach((door, v) -> sb.append(name).append("{door=\"").append(door).append("\"} ")
        .append(v.sum()).append('\n'));
  }
}
