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

  /** Facts about the stored table for {@code describe} (version, files, size...), read on request. */
  default java.util.Map<String, String> details(LakeContext context) {
    return java.util.Map.of();
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
