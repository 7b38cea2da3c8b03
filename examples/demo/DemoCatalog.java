import io.neuralake.catalog.Catalog;

/**
 * The demo catalog: the entry point tools look for is {@code public static Catalog catalog()}.
 * Table locations are relative, so they resolve under the lake root ({@code NEURALAKE_LAKE_ROOT}).
 * The {@code clinic} database (PostgreSQL) is there when {@code NEURALAKE_DEMO_PG_URL} is set.
 */
public final class DemoCatalog {
  public static Catalog catalog() {
    Catalog.Builder catalog = Catalog.builder("demo")
        .database("tpch", Tpch.class)
        .database("bci", Bci.class);
    Clinic.database().ifPresent(catalog::database);
    return catalog.build();
  }

  private DemoCatalog() {}
}
