package io.neuralake.catalog;

import static io.neuralake.frame.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.table.FunctionTable;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.ReadOptions;
import io.neuralake.testing.CountingStore;
import io.neuralake.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CatalogTest {
  @TempDir static Path dir;
  static final AtomicReference<ReadOptions> RECEIVED = new AtomicReference<>();

  /** A database class as users write them. */
  public static final class Shop {
    public static final ParquetTable ORDERS = ParquetTable.builder("orders", "orders")
        .description("Orders.").dataInput("The shop.").latencyInfo("Daily.").exampleNotebook("https://nb/orders")
        .docsFilters(Filter.eq("x", 1)).docsColumns("x")
        .build();
    public static final ParquetTable OLD_ORDERS = ParquetTable.builder("old_orders", "orders")
        .deprecated("use orders").build();
    public static final String NOT_A_TABLE = "ignored";

    @Table(description = "Static prices.", latencyInfo = "In memory.", docsFilters = {"price > 1.5"})
    public static Frame prices() {
      Map<String, List<?>> data = new LinkedHashMap<>();
      data.put("item", List.of("a", "b", "c"));
      data.put("price", List.of(1.0, 2.0, 3.0));
      return Frame.fromColumns(data);
    }

    @Table(description = "Sees the caller's filters.")
    public static Frame echo(ReadOptions options) {
      RECEIVED.set(options);
      return prices();
    }

    private Shop() {}
  }

  static Catalog catalog;

  @BeforeAll
  static void setUp() {
    Fixtures.writeEvents(dir.resolve("orders"));
    catalog = Catalog.builder("shop").root(dir.toString()).database("shop", Shop.class).build();
  }

  @Test
  void aClassBecomesADatabase() {
    assertThat(catalog.dbs()).containsExactly("shop");
    assertThat(catalog.db("shop").tables()).containsExactlyInAnyOrder("orders", "prices", "echo");
    assertThat(catalog.db("shop").tables(true)).contains("old_orders");
    var m = catalog.db("shop").definition("orders").metadata();
    assertThat(m.description()).isEqualTo("Orders.");
    assertThat(m.dataInput()).isEqualTo("The shop.");
    assertThat(m.latencyInfo()).isEqualTo("Daily.");
    assertThat(m.exampleNotebook()).isEqualTo("https://nb/orders");
    assertThat(m.docsFilters()).containsExactly(Filter.eq("x", 1));
    assertThat(m.docsColumns()).containsExactly("x");
    var fm = catalog.db("shop").definition("prices").metadata();
    assertThat(fm.description()).isEqualTo("Static prices.");
    assertThat(fm.docsFilters()).containsExactly(Filter.gt("price", 1.5));
  }

  @Test
  void unknownNamesListWhatExists() {
    assertThatThrownBy(() -> catalog.db("nope")).hasMessageContaining("no database 'nope'").hasMessageContaining("shop");
    assertThatThrownBy(() -> catalog.db("shop").table("nope")).hasMessageContaining("no table 'nope'")
        .hasMessageContaining("old_orders").hasMessageContaining("prices").hasMessageContaining("echo");
  }

  @Test
  void deprecatedTablesWarnWhenRead() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger("io.neuralake");
    logger.addAppender(logs);
    try {
      assertThat(catalog.db("shop").table("old_orders").count()).isEqualTo(360);
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("shop.old_orders is deprecated: use orders"));
  }

  @Test
  void functionTablesWithOptionsReceiveFiltersAndColumns() {
    RECEIVED.set(null);
    try (DataFrame df = catalog.db("shop").table("echo", ReadOptions.builder()
        .filters(Filter.gt("price", 1.5)).columns("item").build()).collect()) {
      assertThat(df.column("item")).containsExactlyInAnyOrder("b", "c");
      assertThat(df.columnNames()).containsExactly("item");
    }
    assertThat(RECEIVED.get().filters()).isEqualTo(Filters.all(Filter.gt("price", 1.5)));
    assertThat(RECEIVED.get().columns()).containsExactly("item");
  }

  @Test
  void functionTablesReceivePredicatesPushedFromFramesAndSql() {
    RECEIVED.set(null);
    try (DataFrame df = catalog.db("shop").table("echo").filter(col("item").eq("a")).collect()) {
      assertThat(df.rowCount()).isEqualTo(1);
    }
    assertThat(RECEIVED.get().filters()).isEqualTo(Filters.all(Filter.eq("item", "a")));
    try (DataFrame df = catalog.sql("SELECT * FROM shop.echo WHERE price <= 2").collect()) {
      assertThat(df.rowCount()).isEqualTo(2);
    }
    assertThat(RECEIVED.get().filters().toString()).isEqualTo("price <= 2");
  }

  @Test
  void functionTablesWithoutOptionsAreFilteredByTheEngine() {
    try (DataFrame df = catalog.db("shop").table("prices", Filter.in("item", "a", "c")).collect()) {
      assertThat(df.column("price")).containsExactlyInAnyOrder(1.0, 3.0);
    }
  }

  @Test
  void sqlOverTheCatalogJoinsSources() {
    try (DataFrame df = catalog.sql("""
        WITH cheap AS (SELECT item FROM shop.prices WHERE price < 3)
        SELECT c.item, count(*) AS n FROM cheap c JOIN orders o ON o.name = 'name_' || (CASE c.item WHEN 'a' THEN 1 ELSE 2 END)
        GROUP BY c.item ORDER BY c.item""").collect()) {
      assertThat(df.rows()).containsExactly(Map.of("item", "a", "n", 1L), Map.of("item", "b", "n", 1L));
    }
  }

  @Test
  void sqlErrorsNameTheProblem() {
    assertThatThrownBy(() -> catalog.sql("SELEC 1").collect()).hasMessageContaining("does not parse")
        .hasMessageContaining("SELEC");
    assertThatThrownBy(() -> catalog.sql("SELECT * FROM shop.nope").collect())
        .hasMessageContaining("shop.nope is not in the catalog").hasMessageContaining("shop.orders");
    assertThatThrownBy(() -> catalog.sql("DROP TABLE shop.orders").collect()).hasMessageContaining("only SELECT");
    assertThatThrownBy(() -> catalog.sql("SELECT nope FROM shop.orders").collect()).hasMessageContaining("nope");
  }

  @Test
  void builtDatabasesRejectDuplicatesAndEmptyClasses() {
    ParquetTable t = ParquetTable.builder("t", "x").build();
    assertThatThrownBy(() -> Catalog.builder("c").database("d", t, t).build()).hasMessageContaining("declares the table 't' twice");
    assertThatThrownBy(() -> Catalog.builder("c").database("d", String.class)).hasMessageContaining("declares no tables");
    assertThatThrownBy(() -> Catalog.builder("c").database("bad name", t)).hasMessageContaining("not valid");
    assertThatThrownBy(() -> ParquetTable.builder("bad-name", "x")).hasMessageContaining("not valid");
  }

  @Test
  void lambdaFunctionTables() {
    List<String> calls = new ArrayList<>();
    FunctionTable ft = FunctionTable.builder("squares", () -> {
      calls.add("called");
      return Frame.fromColumns(Map.of("n", List.of(1L, 4L, 9L)));
    }).description("Squares.").build();
    Catalog c = Catalog.builder("c").database("math", ft).build();
    assertThat(c.db("math").table("squares").filter(col("n").gt(1)).count()).isEqualTo(2);
    assertThat(calls).hasSize(1);
  }
}
