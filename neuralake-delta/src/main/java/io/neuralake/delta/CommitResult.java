package io.neuralake.delta;

/**
 * What a commit did: its table version and the data it added or removed. A commit is durable and
 * visible to readers once this exists.
 */
public record CommitResult(long version, int filesAdded, int filesRemoved, long rowsAdded, long bytesAdded) {
  /** A write that changed nothing (an empty append, or a table that already existed). */
  public static CommitResult nothing(long version) {
    return new CommitResult(version, 0, 0, 0, 0);
  }
}
