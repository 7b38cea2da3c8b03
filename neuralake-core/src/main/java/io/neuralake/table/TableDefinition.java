package io.neuralake.table;

import io.neuralake.filter.Filters;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A table declared in code. Implementations are immutable values: the declaration is the catalog
 * entry. Reading goes through {@link #plan}, which decides what to read (files, or a frame for
 * function tables) before the engine reads anything.
 *
 * <p>This is also the extension point for new table kinds (Delta tables implement it in the
 * {@code neuralake-delta} module).
 */
public interface TableDefinition {

  /** The table's name inside its database. */
  String name();

  /** A short word for the kind of table: {@code parquet}, {@code delta}, {@code function}. */
  String kind();

  TableMetadata metadata();

  /**
   * Whether reads can ask for a version or a point in time ({@link ReadOptions#version()},
   * {@link ReadOptions#timestamp()}, SQL's {@code AT (VERSION => n)}); tables without versions
   * refuse such reads rather than return their current data. Delta tables have versions.
   */
  default boolean hasVersions() {
    return false;
  }

  /** Where the data lives, as declared (empty for function tables). */
  default String location() {
    return "";
  }

  /** Partition columns, in path order. */
  default List<Partition> partitions() {
    return List.of();
  }

  /** The schema declared in code, if any; reading it needs no I/O. */
  default Optional<Schema> declaredSchema() {
    return Optional.empty();
  }

  /**
   * The table's columns from metadata only, never from its data: the declared schema, else what the
   * kind of table keeps about its columns (a Delta log, one Parquet footer). What {@code describe},
   * a catalog site or a client's {@code \d table} show. The default is the declared schema, else the
   * schema a plan carries (planning opens no data file).
   */
  default Schema schema(LakeContext context) throws IOException {
    Optional<Schema> declared = declaredSchema();
    if (declared.isPresent()) {
      return declared.get();
    }
    return switch (plan(ReadOptions.none(), Filters.none(), context)) {
      case ScanPlan.Files files -> new Schema(files.columns().stream()
          .map(c -> io.neuralake.types.Field.of(c.name(), c.type())).toList());
      case ScanPlan.OfArrow arrow -> arrow.schema();
      case ScanPlan.OfFrame frame -> frame.frame().schema();
    };
  }

  /**
   * Facts about the stored table for {@code describe} and catalog sites (version, files, size...),
   * read from its metadata on request, never from its data files.
   */
  default TableDetails details(LakeContext context) throws IOException {
    return TableDetails.none();
  }

  /**
   * This table as a catalog holds it, given the catalog's context: a table that acts outside reads
   * keeps the context (a Delta table's writes then resolve and commit where the catalog reads,
   * not in the environment's default context). The default is the table itself.
   */
  default TableDefinition inCatalog(LakeContext context) {
    return this;
  }

  /**
   * Decides what to read. {@code pruning} holds filters the engine found it may use to skip data
   * (partitions, files); they are only an optimization — the engine applies every filter itself.
   * The filters of {@code options} must be applied to the result.
   */
  ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) throws IOException;
}
