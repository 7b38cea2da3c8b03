package io.neuralake.spi;

import io.neuralake.frame.DataFrame;
import io.neuralake.types.Schema;

/**
 * One engine connection for one piece of work (its temporary tables and views vanish with it), as
 * {@link Engines#withFrame} hands it out. Not thread-safe.
 */
public interface EngineSession {
  /** A name no other temporary object of this session has, starting with {@code prefix}. */
  String newName(String prefix);

  /** Runs a statement that returns no rows (CREATE TEMP TABLE, COPY ...). */
  void execute(String sql);

  /** The schema of a query, without running it. */
  Schema describe(String sql);

  /** Runs a query and returns its rows. */
  DataFrame collect(String sql);
}
