package io.neuralake.delta;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * One version of a Delta table, as its log records it.
 *
 * @param rows rows written by the commit, when the writer recorded it
 */
public record Commit(long version, Instant timestamp, String operation, int filesAdded, int filesRemoved, OptionalLong rows) {}
