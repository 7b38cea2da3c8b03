package io.neuralake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.table.FunctionTable;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A function table receives the catalog it is in, with that catalog's runtime: not a freshly built one. */
class FunctionTableCatalogTest {
  static final AtomicReference<Catalog> SEEN = new AtomicReference<>();

  /** A database class whose @Table method reads a sibling table through the catalog it is given. */
  public static final class Shop {
    public static final FunctionTable PRICES = FunctionTable.builder("prices", () -> Frame.fromColumns(Map.of(
        "item", List.of("a", "b", "c"), "price", List.of(1L, 2L, 3L)))).build();

    @Table(description = "Prices above one, from prices.")
    public static Frame dear(ReadOptions options, Catalog catalog) {
      SEEN.set(catalog);
      return catalog.db("shop").table("prices", options).filter(Expr.col("price").gt(1L));
    }

    private Shop() {}
  }

  private static long count(Frame f) {
    try (DataFrame df = f.collect()) {
      return df.rowCount();
    }
  }

  @Test
  void aTableMethodReceivesTheCatalogItIsReadFrom() {
    try (LakeRuntime runtime = LakeRuntime.builder().build()) {
      Catalog first = Catalog.builder("first").runtime(runtime).database("shop", Shop.class).build();
      Catalog second = Catalog.builder("second").database("shop", Shop.class).build();
      assertThat(count(first.db("shop").table("dear"))).isEqualTo(2);
      assertThat(SEEN.get()).isSameAs(first);
      assertThat(SEEN.get().context().runtime()).isSameAs(runtime);
      assertThat(count(second.sql("SELECT * FROM shop.dear WHERE item = 'c'"))).isEqualTo(1);
      assertThat(SEEN.get()).isSameAs(second);
      assertThat(SEEN.get().context().runtime()).isSameAs(LakeRuntime.defaults());
    }
  }

  @Test
  void aBuiltFunctionReceivesItsCatalogAndTheReadsFilters() {
    AtomicReference<ReadOptions> given = new AtomicReference<>();
    FunctionTable cheap = FunctionTable.builder("cheap", (catalog, options) -> {
      given.set(options);
      return catalog.db("shop").table("prices").filter(Expr.col("price").lt(3L));
    }).build();
    Catalog catalog = Catalog.builder("c").database("shop", Shop.PRICES, cheap).build();
    assertThat(count(catalog.db("shop").table("cheap", Filter.eq("item", "a")))).isEqualTo(1);
    assertThat(given.get().filters().columns()).containsExactly("item");
    assertThat(cheap.takesCatalog()).isTrue();
  }

  @Test
  void aFunctionThatNeedsItsCatalogIsRefusedOutsideOne() {
    FunctionTable orphan = FunctionTable.builder("orphan", (catalog, options) -> catalog.db("x").table("y")).build();
    assertThatThrownBy(() -> orphan.plan(ReadOptions.none(), Filters.none(), LakeContext.defaults()))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("function table 'orphan' reads its catalog, but was read outside one");
  }

  @Test
  void aTableMethodWithOtherParametersIsRefusedNamingWhatItMayTake() {
    final class Bad {
      @Table
      public static Frame wrong(String s) {
        return null;
      }
    }
    assertThatThrownBy(() -> Catalog.builder("c").database("bad", Bad.class))
        .hasMessageContaining("it may take a Catalog (the one it is in), a ReadOptions (the read's filters and columns), both, or nothing");
  }
}
