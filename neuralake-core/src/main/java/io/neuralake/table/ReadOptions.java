package io.neuralake.table;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Filters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a caller asks of a table read: filters, columns and (for versioned tables) a version or a
 * point in time. A function table whose method takes a {@code ReadOptions} receives these, so it
 * can push them into its own source.
 */
public record ReadOptions(Filters filters, List<String> columns, OptionalLong version, Optional<Instant> timestamp) {
  private static final ReadOptions NONE =
      new ReadOptions(Filters.none(), List.of(), OptionalLong.empty(), Optional.empty());

  public ReadOptions {
    requireNonNull(filters, "filters");
    columns = List.copyOf(columns);
    requireNonNull(version, "version");
    requireNonNull(timestamp, "timestamp");
    if (version.isPresent() && version.getAsLong() < 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "a table version is 0 or more, got " + version.getAsLong());
    }
    if (version.isPresent() && timestamp.isPresent()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "read either a version or a timestamp, not both");
    }
  }

  public static ReadOptions none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The same options with more filters and-ed in. */
  public ReadOptions and(Filters more) {
    return new ReadOptions(filters.and(more), columns, version, timestamp);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.filters = filters;
    b.columns.addAll(columns);
    b.version = version;
    b.timestamp = timestamp;
    return b;
  }

  public static final class Builder {
    private Filters filters = Filters.none();
    private final List<String> columns = new ArrayList<>();
    private OptionalLong version = OptionalLong.empty();
    private Optional<Instant> timestamp = Optional.empty();

    private Builder() {}

    /** Filters that must all hold (and-ed with any given before). */
    public Builder filters(Filter... conjunction) {
      filters = filters.and(Filters.all(conjunction));
      return this;
    }

    public Builder filters(List<Filter> conjunction) {
      filters = filters.and(Filters.all(conjunction));
      return this;
    }

    /** A disjunction of conjunctions (and-ed with any filters given before). */
    public Builder anyOf(List<List<Filter>> disjuncts) {
      filters = filters.and(Filters.anyOf(disjuncts));
      return this;
    }

    public Builder filters(Filters f) {
      filters = filters.and(f);
      return this;
    }

    public Builder columns(String... names) {
      columns.addAll(List.of(names));
      return this;
    }

    public Builder columns(List<String> names) {
      columns.addAll(names);
      return this;
    }

    /** Read this version of a table with versions (Delta); other tables refuse it. */
    public Builder version(long v) {
      if (v < 0) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "a table version is 0 or more, got " + v);
      }
      version = OptionalLong.of(v);
      return this;
    }

    /**
     * Read the version current at this time (a table with versions: Delta; others refuse it). A time
     * before the first commit or after the last one is an error when the table is read.
     */
    public Builder timestamp(Instant t) {
      timestamp = Optional.of(requireNonNull(t, "timestamp"));
      return this;
    }

    public ReadOptions build() {
      return new ReadOptions(filters, columns, version, timestamp);
    }
  }
}
