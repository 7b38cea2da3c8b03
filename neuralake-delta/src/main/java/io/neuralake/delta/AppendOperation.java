package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.frame.Frame;
import java.util.Optional;

/**
 * An append of a frame's rows: {@code table.append(frame).context(catalog.context()).options(o).commit()}.
 * Nothing is written before {@link #commit()}.
 */
public final class AppendOperation extends DeltaOperation<AppendOperation> {
  private final Frame data;
  private WriteOptions options = WriteOptions.defaults();

  AppendOperation(DeltaTable table, Frame data) {
    super(table);
    this.data = requireNonNull(data, "data");
  }

  /** File size, schema merging, commit attempts (default {@link WriteOptions#defaults()}). */
  public AppendOperation options(WriteOptions options) {
    this.options = requireNonNull(options, "options");
    return this;
  }

  /** Writes the data files and commits them in one commit: durable and visible when this returns. */
  public CommitResult commit() {
    return DeltaWrites.append(table, context(), data, options, Optional.empty(), progress());
  }
}
