package io.neuralake.internal.scan;

import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.table.Partition;
import io.neuralake.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a filter that partition values can decide. Evaluated with the values known so far
 * while walking partition folders, it answers "might rows here match?": false only when some
 * conjunction is certainly false for every disjunct. Filters on other columns count as unknown.
 */
final class PartitionPredicate {
  /** Per disjunct, the filters on partition columns with values coerced to the column types. */
  private final List<List<TypedFilter>> disjuncts = new ArrayList<>();
  private final boolean matchesAll;

  record TypedFilter(Filter filter, Object value) {}

  /**
   * @param required the read's own filters: a value that does not fit its column is an error
   * @param hints filters the engine derived from the query, for pruning only: one that does not
   *     fit its column is left out (the query itself decides what such a comparison means)
   */
  PartitionPredicate(String table, Filters required, Filters hints, List<Partition> partitions) {
    Map<String, Partition> byName = new LinkedHashMap<>();
    partitions.forEach(p -> byName.put(p.column(), p));
    Filters filters = required.and(usable(table, hints, byName));
    boolean any = false;
    for (List<Filter> conjunction : filters.disjuncts()) {
      List<TypedFilter> typed = new ArrayList<>();
      for (Filter f : conjunction) {
        Partition p = byName.get(f.column());
        if (p != null) {
          typed.add(new TypedFilter(f, TypedValues.coerceFilterValue(table, f, p.type())));
        }
      }
      disjuncts.add(typed);
      any |= !typed.isEmpty();
    }
    // a disjunct with no partition filter matches every partition
    matchesAll = !any || disjuncts.stream().anyMatch(List::isEmpty);
  }

  private static Filters usable(String table, Filters hints, Map<String, Partition> byName) {
    List<List<Filter>> kept = new ArrayList<>();
    for (List<Filter> conjunction : hints.disjuncts()) {
      List<Filter> ok = new ArrayList<>();
      for (Filter f : conjunction) {
        Partition p = byName.get(f.column());
        try {
          if (p != null) {
            TypedValues.coerceFilterValue(table, f, p.type());
          }
          ok.add(f);
        } catch (NeuralakeException e) {
          // dropping a conjunct only weakens the pruning filter
        }
      }
      if (ok.isEmpty()) {
        return Filters.none(); // this disjunct matches everything, so the whole hint does
      }
      kept.add(ok);
    }
    return Filters.anyOf(kept);
  }

  /** Whether a partition with these (possibly partial) values might hold matching rows. */
  boolean mightMatch(Map<String, Object> known) {
    if (matchesAll) {
      return true;
    }
    for (List<TypedFilter> conjunction : disjuncts) {
      boolean possible = true;
      for (TypedFilter tf : conjunction) {
        if (known.containsKey(tf.filter().column()) && !Comparisons.test(tf.filter(), tf.value(), known.get(tf.filter().column()))) {
          possible = false;
          break;
        }
      }
      if (possible) {
        return true;
      }
    }
    return false;
  }

  /**
   * The values of leading partitions that every disjunct pins with '=' to the same value: these
   * become a path prefix, so the listing starts below them.
   */
  List<Object> leadingEqualities(List<Partition> partitions) {
    List<Object> prefix = new ArrayList<>();
    if (matchesAll) {
      return prefix;
    }
    for (Partition p : partitions) {
      if (p.type().equals(DataType.FLOAT32) || p.type().equals(DataType.FLOAT64) || p.type() instanceof DataType.Decimal
          || p.type().equals(DataType.BINARY)) {
        // numbers with fractions have many spellings (1.0E20, 1e+20, 1; 1.5, 1.50), binary values
        // more (escaped or not): only a listing finds their folders
        break;
      }
      Object common = null;
      boolean pinned = true;
      for (List<TypedFilter> conjunction : disjuncts) {
        Object v = conjunction.stream()
            .filter(tf -> tf.filter().column().equals(p.column()) && tf.filter().operator() == io.neuralake.filter.Operator.EQ)
            .map(TypedFilter::value).findFirst().orElse(null);
        if (v == null || (common != null && !common.equals(v))) {
          pinned = false;
          break;
        }
        common = v;
      }
      if (!pinned) {
        break;
      }
      prefix.add(common);
    }
    return prefix;
  }
}
