import io.neuralake.catalog.Catalog;

/**
 * The demo catalog: the entry point tools look for is {@code public static Catalog catalog()}.
 * Table locations are relative, so they resolve under the lake root ({@code NEURALAKE_LAKE_ROOT}).
 */
public final class DemoCatalog {
  public static Catalog catalog() {
    return Catalog.builder("demo")
        .database("tpch", Tpch.class)
        .database("bci", Bci.class)
        .build();
  }

  private DemoCatalog() {}
}
