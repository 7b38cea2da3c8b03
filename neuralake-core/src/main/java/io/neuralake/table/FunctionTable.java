package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Frame;
import io.neuralake.internal.plan.Versions;
import io.neuralake.types.Schema;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A table whose rows come from Java code. The code returns a {@link Frame}: data built in memory,
 * a query over other tables, or anything a frame can express.
 *
 * <p>A function that takes {@link ReadOptions} receives the caller's filters and columns and may
 * push them into its own source; the engine applies them to what it returns either way, so a
 * function that ignores them is still correct.
 *
 * <p>A function that takes the {@link Catalog} receives the catalog the table is in (the one being
 * read, with its runtime, stores and root), to read its sibling tables:
 * {@code FunctionTable.builder("daily", (catalog, options) -> catalog.db("bci").table("spikes", options))}.
 */
public final class FunctionTable implements TableDefinition {
  private final String name;
  private final TableMetadata metadata;
  private final InCatalog function;
  private final boolean takesOptions;
  private final boolean takesCatalog;
  private final Optional<Schema> schema;

  /** A function of the catalog the table is in and the read's filters and columns. */
  @FunctionalInterface
  public interface InCatalog {
    Frame apply(Catalog catalog, ReadOptions options);
  }

  private FunctionTable(Builder b) {
    this.name = b.name;
    this.metadata = b.metadata();
    this.function = b.function;
    this.takesOptions = b.takesOptions;
    this.takesCatalog = b.takesCatalog;
    this.schema = Optional.ofNullable(b.schema);
  }

  /** A table computed without looking at the read's filters. */
  public static Builder builder(String name, Supplier<Frame> function) {
    requireNonNull(function, "function");
    return new Builder(name, (catalog, options) -> function.get(), false, false);
  }

  /** A table computed with the read's filters and columns at hand. */
  public static Builder builder(String name, Function<ReadOptions, Frame> function) {
    requireNonNull(function, "function");
    return new Builder(name, (catalog, options) -> function.apply(options), true, false);
  }

  /** A table computed from the catalog it is in (its sibling tables), with the read's filters and columns at hand. */
  public static Builder builder(String name, InCatalog function) {
    return new Builder(name, requireNonNull(function, "function"), true, true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "function";
  }

  @Override
  public TableMetadata metadata() {
    return metadata;
  }

  @Override
  public Optional<Schema> declaredSchema() {
    return schema;
  }

  /**
   * The declared schema, else the columns of the frame the function returns, typed by the engine
   * without reading its rows (the function is called; the frame is not run).
   */
  @Override
  public Schema schema(LakeContext context) {
    return schema.orElseGet(() -> call(context, ReadOptions.none()).schema());
  }

  /** Whether the function receives the read's filters and columns. */
  public boolean takesOptions() {
    return takesOptions;
  }

  /** Whether the function receives the catalog the table is in. */
  public boolean takesCatalog() {
    return takesCatalog;
  }

  @Override
  public ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) {
    Versions.requireVersioned(this, "table '" + name + "'", options);
    ReadOptions given = takesOptions ? options.and(pruning) : ReadOptions.none();
    Frame frame = call(context, given);
    String notes = takesOptions ? "function received filters " + given.filters() : "function computed in full";
    return new ScanPlan.OfFrame(frame, ScanPlan.ScanStats.of(notes));
  }

  private Frame call(LakeContext context, ReadOptions given) {
    Catalog catalog = context.catalog().orElse(null);
    if (takesCatalog && catalog == null) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "function table '" + name + "' reads its catalog, but"
          + " was read outside one; add it to a catalog (Catalog.builder(...).database(...)) and read it from there");
    }
    Frame frame;
    try {
      frame = function.apply(catalog, given);
    } catch (RuntimeException e) {
      throw NeuralakeException.of("function table '" + name + "' failed: " + e.getMessage(), e);
    }
    if (frame == null) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          "function table '" + name + "' returned null; it must return a Frame");
    }
    return frame;
  }

  @Override
  public String toString() {
    return "FunctionTable[" + name + "]";
  }

  public static final class Builder extends TableBuilder<Builder> {
    private final InCatalog function;
    private final boolean takesOptions;
    private final boolean takesCatalog;
    private Schema schema;

    private Builder(String name, InCatalog function, boolean takesOptions, boolean takesCatalog) {
      super(name);
      this.function = function;
      this.takesOptions = takesOptions;
      this.takesCatalog = takesCatalog;
    }

    /** The schema the function promises; shown in the catalog without calling the function. */
    public Builder schema(Schema schema) {
      this.schema = requireNonNull(schema, "schema");
      return this;
    }

    public FunctionTable build() {
      return new FunctionTable(this);
    }
  }
}
