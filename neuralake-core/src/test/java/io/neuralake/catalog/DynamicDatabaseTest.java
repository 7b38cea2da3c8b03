package io.neuralake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.table.FunctionTable;
import io.neuralake.table.LakeContext;
import io.neuralake.table.TableDefinition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Databases whose tables are listed at run time, beside declared ones. */
class DynamicDatabaseTest {
  /** Tables that come and go, as in a remote schema. */
  static class Remote implements DynamicDatabase {
    final List<String> names = new CopyOnWriteArrayList<>();
    int listings;

    @Override
    public String name() {
      return "remote";
    }

    @Override
    public String description() {
      return "Listed at run time.";
    }

    @Override
    public List<TableDefinition> tables(LakeContext context) {
      listings++;
      return names.stream().map(Remote::table).toList();
    }

    static TableDefinition table(String name) {
      return FunctionTable.builder(name, () -> Frame.fromColumns(Map.of("source", List.of(name)))).build();
    }
  }

  /** A database class that declares one table and lists the rest. */
  public static final class Mixed {
    public static final Remote LISTED = new Remote();
    public static final FunctionTable CURATED = FunctionTable.builder("a",
        () -> Frame.fromColumns(Map.of("source", List.of("declared"))))
        .description("Declared in code.").build();
  }

  @Test
  void tablesAreListedWhenAskedNotWhenTheCatalogIsBuilt() {
    Remote remote = new Remote();
    Catalog catalog = Catalog.builder("lake").database(remote).build();
    assertThat(remote.listings).isZero();
    assertThat(catalog.dbs()).containsExactly("remote");
    assertThat(catalog.db("remote").description()).isEqualTo("Listed at run time.");
    assertThat(catalog.db("remote").tables()).isEmpty();

    remote.names.add("patients");
    assertThat(catalog.db("remote").tables()).containsExactly("patients");
    try (DataFrame df = catalog.sql("SELECT source FROM remote.patients").collect()) {
      assertThat(df.column("source")).containsExactly("patients");
    }
    try (DataFrame df = catalog.sql("SELECT count(*) AS n FROM patients").collect()) {
      assertThat(((Number) df.get(0, "n")).longValue()).as("an unqualified name finds a listed table").isEqualTo(1);
    }
  }

  @Test
  void aTableDroppedRemotelyIsNotFoundByName() {
    Remote remote = new Remote();
    remote.names.addAll(List.of("patients", "visits"));
    Catalog catalog = Catalog.builder("lake").database(remote).build();
    assertThat(catalog.db("remote").definition("visits").name()).isEqualTo("visits");
    remote.names.remove("visits");
    assertThatThrownBy(() -> catalog.db("remote").table("visits"))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
        .hasMessageContaining("database 'remote' has no table 'visits' (now); its tables are: patients");
    assertThatThrownBy(() -> catalog.sql("SELECT * FROM remote.visits").collect())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
        .hasMessageContaining("remote.visits");
  }

  @Test
  void aDatabaseClassListsTablesBesideItsDeclaredOnesAndTheDeclaredWin() {
    Mixed.LISTED.names.clear();
    Mixed.LISTED.names.addAll(List.of("a", "b"));
    Catalog catalog = Catalog.builder("lake").database("clinic", Mixed.class).build();
    assertThat(catalog.db("clinic").tables()).containsExactly("a", "b");
    assertThat(catalog.db("clinic").definition("a").metadata().description()).isEqualTo("Declared in code.");
    try (DataFrame df = catalog.sql("SELECT a.source AS a, b.source AS b FROM clinic.a, clinic.b").collect()) {
      assertThat(df.rows()).containsExactly(Map.of("a", "declared", "b", "b"));
    }
    assertThat(catalog.db("clinic").toString()).isEqualTo("Database[clinic: a, tables listed from [" + Mixed.LISTED + "]]");
  }

  @Test
  void onlySomeDatabasesKeepsTheListedOnes() {
    Remote remote = new Remote();
    remote.names.add("patients");
    Catalog catalog = Catalog.builder("lake").database(remote)
        .database("other", Remote.table("x")).build();
    Catalog only = catalog.only(List.of("remote"));
    assertThat(only.dbs()).containsExactly("remote");
    remote.names.add("later");
    assertThat(only.db("remote").tables()).containsExactly("patients", "later");
  }

  @Test
  void aDynamicDatabaseNeedsAValidName() {
    Remote bad = new Remote() {
      @Override
      public String name() {
        return "has space";
      }
    };
    assertThatThrownBy(() -> Catalog.builder("lake").database(bad))
        .hasMessageContaining("database name 'has space' is not valid");
  }
}
