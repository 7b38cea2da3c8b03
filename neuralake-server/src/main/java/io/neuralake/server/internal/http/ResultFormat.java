package io.neuralake.server.internal.http;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The result formats the HTTP door writes, chosen by the request's {@code Accept} header. */
enum ResultFormat {
  JSON("application/json", "application/json"),
  NDJSON("application/x-ndjson", "application/x-ndjson"),
  CSV("text/csv", "text/csv", "application/csv"),
  ARROW_STREAM("application/vnd.apache.arrow.stream", "application/vnd.apache.arrow.stream"),
  ARROW_FILE("application/vnd.apache.arrow.file", "application/vnd.apache.arrow.file"),
  PARQUET("application/vnd.apache.parquet", "application/vnd.apache.parquet");

  private final String contentType;
  private final String[] accepted;

  ResultFormat(String contentType, String... accepted) {
    this.contentType = contentType;
    this.accepted = accepted;
  }

  String contentType() {
    return contentType;
  }

  /**
   * The first format the {@code Accept} header names (in order of its q-values), JSON when it is
   * absent or says anything ({@code *}{@code /*}, {@code application/*}); an Accept naming none of
   * ours is a mistake the message lists the choices for.
   */
  static ResultFormat negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return JSON;
    }
    String[] ranges = accept.split(",");
    record Range(String type, double q, int order) {}
    java.util.List<Range> parsed = new java.util.ArrayList<>();
    for (int i = 0; i < ranges.length; i++) {
      String[] parts = ranges[i].split(";");
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int p = 1; p < parts.length; p++) {
        String param = parts[p].strip();
        if (param.startsWith("q=")) {
          try {
            q = Double.parseDouble(param.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (q > 0) {
        parsed.add(new Range(type, q, i));
      }
    }
    parsed.sort((a, b) -> a.q() != b.q() ? Double.compare(b.q(), a.q()) : Integer.compare(a.order(), b.order()));
    for (Range r : parsed) {
      if (r.type().equals("*/*") || r.type().equals("application/*")) {
        return JSON;
      }
      if (r.type().equals("text/*")) {
        return CSV;
      }
      for (ResultFormat f : values()) {
        if (Arrays.asList(f.accepted).contains(r.type())) {
          return f;
        }
      }
    }
    throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "cannot answer in '" + accept.strip() + "': ask (with Accept)"
        + " for one of " + Arrays.stream(values()).flatMap(f -> Arrays.stream(f.accepted)).distinct()
        .collect(Collectors.joining(", ")));
  }
}
