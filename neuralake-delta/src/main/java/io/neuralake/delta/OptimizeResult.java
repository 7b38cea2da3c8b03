package io.neuralake.delta;

/** What a compaction did: its commit, and how many partitions and files it rewrote. */
public record OptimizeResult(CommitResult commit, int partitionsCompacted, int filesRemoved, int filesAdded) {}
