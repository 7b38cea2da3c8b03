package io.neuralake.spark.internal;

import io.neuralake.table.ScanPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Planned files in groups, one per Spark task: at least as many groups as Spark has cores (when
 * there are that many files), more when the bytes exceed {@code maxBytes} a group, balanced by
 * bytes (largest files first, each to the lightest group). A plan that keeps one row per key
 * across files stays whole: its files cannot be read apart.
 */
final class FileGroups {
  private FileGroups() {}

  static List<List<ScanPlan.DataFile>> split(ScanPlan.Files plan, int parallelism, long maxBytes) {
    List<ScanPlan.DataFile> files = plan.files();
    if (files.isEmpty()) {
      return List.of();
    }
    if (!plan.uniqueColumns().isEmpty() || files.size() == 1) {
      return List.of(files);
    }
    long bytes = plan.bytes();
    long bySize = maxBytes <= 0 ? 1 : (bytes + maxBytes - 1) / maxBytes;
    int n = (int) Math.min(files.size(), Math.max(parallelism, bySize));
    record Group(int index, List<Integer> files, long[] bytes) {}
    PriorityQueue<Group> lightest = new PriorityQueue<>(
        Comparator.<Group>comparingLong(g -> g.bytes()[0]).thenComparingInt(Group::index));
    List<Group> groups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Group g = new Group(i, new ArrayList<>(), new long[1]);
      groups.add(g);
      lightest.add(g);
    }
    List<Integer> bySizeDesc = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      bySizeDesc.add(i);
    }
    bySizeDesc.sort(Comparator.<Integer>comparingLong(i -> files.get(i).size()).reversed().thenComparing(i -> i));
    for (int i : bySizeDesc) {
      Group g = lightest.poll();
      g.files().add(i);
      g.bytes()[0] += files.get(i).size();
      lightest.add(g);
    }
    List<List<ScanPlan.DataFile>> out = new ArrayList<>();
    for (Group g : groups) {
      // the plan's order within a group
      out.add(g.files().stream().sorted().map(files::get).toList());
    }
    return out;
  }
}
