package io.neuralake.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A filter in disjunctive normal form: rows match if they satisfy every filter of at least one
 * conjunction. An empty disjunction list means "no filter" (all rows).
 */
public record Filters(List<List<Filter>> disjuncts) {
  private static final Filters NONE = new Filters(List.of());

  public Filters {
    List<List<Filter>> copy = new ArrayList<>();
    for (List<Filter> conj : disjuncts) {
      copy.add(List.copyOf(conj));
    }
    disjuncts = List.copyOf(copy);
  }

  public static Filters none() {
    return NONE;
  }

  /** A conjunction: all filters must hold. */
  public static Filters all(List<Filter> conjunction) {
    return conjunction.isEmpty() ? NONE : new Filters(List.of(conjunction));
  }

  public static Filters all(Filter... conjunction) {
    return all(List.of(conjunction));
  }

  /** A disjunction of conjunctions: at least one inner list must hold entirely. */
  public static Filters anyOf(List<List<Filter>> disjuncts) {
    return disjuncts.isEmpty() ? NONE : new Filters(disjuncts);
  }

  public boolean isEmpty() {
    return disjuncts.isEmpty();
  }

  /** Both filters must hold: distributes into DNF. */
  public Filters and(Filters other) {
    if (isEmpty()) {
      return other;
    }
    if (other.isEmpty()) {
      return this;
    }
    List<List<Filter>> out = new ArrayList<>();
    for (List<Filter> a : disjuncts) {
      for (List<Filter> b : other.disjuncts) {
        List<Filter> both = new ArrayList<>(a);
        both.addAll(b);
        out.add(both);
      }
    }
    return new Filters(out);
  }

  /**
   * The part of this filter that only looks at the given columns: a weaker filter (it keeps at
   * least the rows this one keeps) that a source knowing only those columns can apply. Function
   * tables use it to push the filters they understand into their own reads.
   */
  public Filters restrictTo(java.util.Collection<String> columns) {
    List<List<Filter>> out = new ArrayList<>();
    for (List<Filter> conj : disjuncts) {
      List<Filter> kept = conj.stream().filter(f -> columns.contains(f.column())).toList();
      if (kept.isEmpty()) {
        return NONE;
      }
      out.add(kept);
    }
    return new Filters(out);
  }

  /** The columns any filter refers to. */
  public List<String> columns() {
    return disjuncts.stream().flatMap(List::stream).map(Filter::column).distinct().toList();
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "(none)";
    }
    return disjuncts.stream()
        .map(c -> c.stream().map(Filter::toString).collect(Collectors.joining(" AND ")))
        .collect(Collectors.joining(") OR (", disjuncts.size() > 1 ? "(" : "", disjuncts.size() > 1 ? ")" : ""));
  }
}
