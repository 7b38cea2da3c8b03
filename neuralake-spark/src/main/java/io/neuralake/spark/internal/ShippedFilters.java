package io.neuralake.spark.internal;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.filter.Operator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Filters as they travel to executors: a disjunction of conjunctions of {@code column operator value}. */
public record ShippedFilters(List<List<One>> disjuncts) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One filter; a list value travels as an ArrayList. */
  public record One(String column, String operator, Object value) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public static ShippedFilters of(Filters filters) {
    List<List<One>> out = new ArrayList<>();
    for (List<Filter> conj : filters.disjuncts()) {
      out.add(conj.stream().map(f -> new One(f.column(), f.operator().name(),
          f.operator().takesList() ? new ArrayList<>(f.values()) : f.value())).toList());
    }
    return new ShippedFilters(out);
  }

  public Filters toFilters() {
    List<List<Filter>> out = new ArrayList<>();
    for (List<One> conj : disjuncts) {
      out.add(conj.stream().map(f -> new Filter(f.column(), Operator.valueOf(f.operator()), f.value())).toList());
    }
    return Filters.anyOf(out);
  }
}
