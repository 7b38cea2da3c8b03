package io.neuralake.catalog;

import io.neuralake.table.LakeContext;
import io.neuralake.table.TableDefinition;
import java.util.List;
import java.util.Optional;

/**
 * A database whose tables are listed when they are asked for, not fixed when the catalog is built:
 * a schema of a relational database, whose tables come and go remotely. A catalog holds one beside
 * its class-declared databases ({@link Catalog.Builder#database(DynamicDatabase)}), or a database
 * class declares one as a public static field, adding the tables it lists to the class's own.
 * Every listing ({@link Database#tables()}, SQL, the server's schema) and every lookup asks it again.
 *
 * <p>An implementation answers from the source's metadata, never by reading rows; the tables it
 * returns are cheap declarations that read their schema and rows when asked, like declared ones.
 */
public interface DynamicDatabase {
  /** The database's name in a catalog that holds it directly; ignored when a database class declares it. */
  String name();

  default String description() {
    return "";
  }

  /**
   * The tables there are now. Names that are not table names in a catalog (letters, digits and
   * underscores) are left out by the implementation.
   */
  List<TableDefinition> tables(LakeContext context);

  /** The table of that name as it is now, or empty when there is none (it was dropped, or never was). */
  default Optional<TableDefinition> table(String name, LakeContext context) {
    return tables(context).stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
