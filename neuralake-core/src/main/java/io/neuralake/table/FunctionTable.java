package io.neuralake.table;

import static java.util.Objects.requireNonNull;

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
 */
public final class FunctionTable implements TableDefinition {
  private final String name;
  private final TableMetadata metadata;
  private final Function<ReadOptions, Frame> function;
  private final boolean takesOptions;
  private final Optional<Schema> schema;

  private FunctionTable(Builder b) {
    this.name = b.name;
    this.metadata = b.metadata();
    this.function = b.function;
    this.takesOptions = b.takesOptions;
    this.schema = Optional.ofNullable(b.schema);
  }

  /** A table computed without looking at the read's filters. */
  public static Builder builder(String name, Supplier<Frame> function) {
    requireNonNull(function, "function");
    return new Builder(name, options -> function.get(), false);
  }

  /** A table computed with the read's filters and columns at hand. */
  public static Builder builder(String name, Function<ReadOptions, Frame> function) {
    return new Builder(name, requireNonNull(function, "function"), true);
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
    return schema.orElseGet(() -> call(ReadOptions.none()).schema());
  }

  /** Whether the function receives the read's filters and columns. */
  public boolean takesOptions() {
    return takesOptions;
  }

  @Override
  public ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) {
    Versions.requireVersioned(this, "table '" + name + "'", options);
    ReadOptions given = takesOptions ? options.and(pruning) : ReadOptions.none();
    Frame frame = call(given);
    String notes = takesOptions ? "function received filters " + given.filters() : "function computed in full";
    return new ScanPlan.OfFrame(frame, ScanPlan.ScanStats.of(notes));
  }

  private Frame call(ReadOptions given) {
    Frame frame;
    try {
      frame = function.apply(given);
    } catch (RuntimeException e) {
      throw new IllegalStateException("function table '" + name + "' failed: " + e.getMessage(), e);
    }
    if (frame == null) {
      throw new IllegalStateException("function table '" + name + "' returned null; it must return a Frame");
    }
    return frame;
  }

  @Override
  public String toString() {
    return "FunctionTable[" + name + "]";
  }

  public static final class Builder extends TableBuilder<Builder> {
    private final Function<ReadOptions, Frame> function;
    private final boolean takesOptions;
    private Schema schema;

    private Builder(String name, Function<ReadOptions, Frame> function, boolean takesOptions) {
      super(name);
      this.function = function;
      this.takesOptions = takesOptions;
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
