package io.neuralake.frame;

/** How rows of two frames are matched. */
public enum JoinType {
  /** Rows with a match on both sides. */
  INNER,
  /** Every left row; right columns null where nothing matches. */
  LEFT,
  /** Every right row; left columns null where nothing matches. */
  RIGHT,
  /** Every row of both sides. */
  FULL,
  /** Left rows that have a match (left columns only). */
  SEMI,
  /** Left rows that have no match (left columns only). */
  ANTI
}
