package io.neuralake.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs systems side by side on the same data: each in its own warm worker process, a validated
 * warm-up, then measured runs interleaved query by query (A B C, A B C, ...), the order of systems
 * rotating each run so none always goes first.
 */
final class Suite {
  private static final Logger LOG = LoggerFactory.getLogger(Suite.class);

  /**
   * @param answersComparable systems whose answers must agree (others, like a raw GET, answer differently)
   */
  record Plan(String name, BenchConfig config, List<String> systems, List<String> queries, int warmups, int runs,
      String heap, Map<String, String> env, Set<String> answersComparable) {}

  record Result(Plan plan, Map<String, Map<String, List<Long>>> nanos, Map<String, Map<String, Integer>> rows,
      Map<String, Long> peakRss, List<String> problems) {}

  static Result run(Plan plan, Path logs) throws IOException {
    Files.createDirectories(logs);
    Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    Map<String, Map<String, List<Long>>> nanos = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> rows = new LinkedHashMap<>();
    Map<String, Long> peak = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    try {
      for (String s : plan.systems()) {
        System.err.println("starting " + s + " ...");
        workers.put(s, new WorkerProcess(s, plan.config(), plan.env(), plan.heap(), logs.resolve(s + ".log")));
        nanos.put(s, new LinkedHashMap<>());
        rows.put(s, new LinkedHashMap<>());
      }
      Map<String, List<String>> supporting = new LinkedHashMap<>();
      for (String q : plan.queries()) {
        List<String> who = new ArrayList<>();
        for (String s : plan.systems()) {
          if (workers.get(s).supports(q)) {
            who.add(s);
          }
        }
        supporting.put(q, who);
      }

      // warm-up, with every answer checked against the first comparable system's
      for (String q : plan.queries()) {
        List<List<String>> reference = null;
        String referenceSystem = null;
        for (String s : supporting.get(q)) {
          for (int w = 0; w < Math.max(1, plan.warmups()); w++) {
            WorkerProcess worker = workers.get(s);
            worker.prepare();
            WorkerProcess.Run r = worker.run(q);
            rows.get(s).put(q, r.rows());
            if (w == 0 && plan.answersComparable().contains(s)) {
              if (reference == null) {
                reference = r.answer();
                referenceSystem = s;
              } else {
                String diff = Answer.difference(reference, r.answer());
                if (diff != null) {
                  problems.add(q + ": " + s + " disagrees with " + referenceSystem + ": " + diff);
                }
              }
            }
          }
        }
        System.err.println("warm-up " + q + " done" + (problems.isEmpty() ? "" : " (" + problems.size() + " disagreements so far)"));
      }

      for (int run = 0; run < plan.runs(); run++) {
        for (String q : plan.queries()) {
          List<String> order = rotate(supporting.get(q), run);
          for (String s : order) {
            WorkerProcess worker = workers.get(s);
            worker.prepare();
            WorkerProcess.Run r = worker.run(q);
            nanos.get(s).computeIfAbsent(q, k -> new ArrayList<>()).add(r.nanos());
          }
        }
        System.err.println("run " + (run + 1) + "/" + plan.runs() + " done");
      }
      for (String s : plan.systems()) {
        peak.put(s, workers.get(s).peakRssBytes());
      }
    } finally {
      for (WorkerProcess w : workers.values()) {
        w.close();
      }
    }
    problems.forEach(p -> LOG.warn("answers differ: {}", p));
    return new Result(plan, nanos, rows, peak, problems);
  }

  private static List<String> rotate(List<String> systems, int by) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < systems.size(); i++) {
      out.add(systems.get((i + by) % systems.size()));
    }
    return out;
  }
}
