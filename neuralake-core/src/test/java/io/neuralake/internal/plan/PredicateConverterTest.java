package io.neuralake.internal.plan;

import static io.neuralake.frame.Expr.col;
import static io.neuralake.frame.Expr.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Expr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frame predicates to pruning filters: exact where possible, weaker (never stronger) otherwise. */
class PredicateConverterTest {
  private static Expr bin(String op, Expr l, Expr r) {
    return new Expr.Binary(op, l, r);
  }

  private static Expr eq(String c, Object v) {
    return bin("=", col(c), lit(v));
  }

  @Test
  void comparisonsConvertOnEitherSide() {
    assertThat(PredicateConverter.toFilters(List.of(bin("<", lit(5L), col("x")))))
        .isEqualTo(Filters.all(Filter.gt("x", 5L)));
    assertThat(PredicateConverter.toFilters(List.of(bin("<>", col("s"), lit("it's")))))
        .isEqualTo(Filters.all(Filter.ne("s", "it's")));
    assertThat(PredicateConverter.toFilters(List.of(bin("!=", col("s"), lit("a")))))
        .isEqualTo(Filters.all(Filter.ne("s", "a")));
  }

  @Test
  void whatDoesNotConvertExactlyIsDropped() {
    // NULL literals, column-to-column, other operators, IS NULL, NOT: nothing to prune with
    List<Expr> none = List.of(eq("x", null), bin("=", col("x"), col("y")), bin("LIKE", col("s"), lit("a%")),
        new Expr.IsNull(col("x"), false), new Expr.Not(eq("x", 1L)), new Expr.Call("lower", List.of(col("s"))),
        new Expr.InList(new Expr.Call("lower", List.of(col("s"))), List.of("a"), false));
    for (Expr e : none) {
      assertThat(PredicateConverter.toFilters(List.of(e))).as(e.toString()).isEqualTo(Filters.none());
    }
  }

  @Test
  void andDropsOnlyTheUnconvertibleSideButOrNeedsBoth() {
    Expr unconvertible = bin("=", col("x"), col("y"));
    assertThat(PredicateConverter.toFilters(List.of(bin("AND", eq("a", 1L), unconvertible))))
        .isEqualTo(Filters.all(Filter.eq("a", 1L)));
    assertThat(PredicateConverter.toFilters(List.of(bin("OR", eq("a", 1L), unconvertible)))).isEqualTo(Filters.none());
  }

  @Test
  void orOfAndsIsExpandedIntoDisjunctiveNormalForm() {
    // (a = 1 OR a = 2) AND (b = 3 OR b = 4)  ->  four conjunctions
    Expr e = bin("AND", bin("OR", eq("a", 1L), eq("a", 2L)), bin("OR", eq("b", 3L), eq("b", 4L)));
    assertThat(PredicateConverter.toFilters(List.of(e)).disjuncts()).containsExactly(
        List.of(Filter.eq("a", 1L), Filter.eq("b", 3L)), List.of(Filter.eq("a", 1L), Filter.eq("b", 4L)),
        List.of(Filter.eq("a", 2L), Filter.eq("b", 3L)), List.of(Filter.eq("a", 2L), Filter.eq("b", 4L)));
  }

  @Test
  void expansionStaysBoundedAndOnlyEverWeakens() {
    // ten conjuncts of four alternatives would be 4^10 = a million conjunctions
    List<Expr> conjuncts = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      Expr or = eq("c" + c, 0L);
      for (long v = 1; v < 4; v++) {
        or = bin("OR", or, eq("c" + c, v));
      }
      conjuncts.add(or);
    }
    Filters f = PredicateConverter.toFilters(conjuncts);
    assertThat(f.disjuncts().size()).isBetween(1, 64);
    // every conjunction kept is made of the query's own filters: weaker, never stronger
    assertThat(f.disjuncts()).allSatisfy(conj -> assertThat(conj).allMatch(x -> x.column().startsWith("c")));
    // one wide OR over the bound is dropped entirely rather than half kept
    Expr wide = eq("w", 0L);
    for (long v = 1; v < 100; v++) {
      wide = bin("OR", wide, eq("w", v));
    }
    assertThat(PredicateConverter.toFilters(List.of(wide))).isEqualTo(Filters.none());
  }

  @Test
  void listAndStringFunctionsConvert() {
    assertThat(PredicateConverter.toFilters(List.of(new Expr.InList(col("x"), List.of(1L, 2L), true))))
        .isEqualTo(Filters.all(Filter.notIn("x", 1L, 2L)));
    assertThat(PredicateConverter.toFilters(List.of(new Expr.InList(col("x"), List.of(), false))))
        .isEqualTo(Filters.all(Filter.in("x", List.of())));
    assertThat(PredicateConverter.toFilters(List.of(new Expr.Call("contains", List.of(col("s"), lit("ab"))))))
        .isEqualTo(Filters.all(Filter.contains("s", "ab")));
    assertThat(PredicateConverter.toFilters(List.of(new Expr.Call("contains", List.of(col("s"), lit(3L))))))
        .isEqualTo(Filters.none());
    assertThat(PredicateConverter.toFilters(List.of(new Expr.Call("list_has_any", List.of(col("t"), lit(List.of("a")))))))
        .isEqualTo(Filters.all(Filter.includesAny("t", "a")));
  }
}
