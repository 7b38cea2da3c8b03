package io.neuralake.bench;

import java.util.List;

/** One system under measurement, living in its own worker process. */
public interface BenchSystem extends AutoCloseable {

  /** Whether this system has the query (frames exist for a few queries only). */
  default boolean supports(String query) {
    return true;
  }

  /** Called before each measured run (a cold-cache system empties its cache here; not timed). */
  default void beforeRun() throws Exception {}

  /** Runs the query to completion, returning its rows (each value through {@link Answer#cell}). */
  List<List<String>> run(String query) throws Exception;

  @Override
  default void close() throws Exception {}

  /** The systems by name. */
  static BenchSystem create(String name, BenchConfig config) throws Exception {
    return switch (name) {
      case "neuralake" -> new NeuralakeSystem(config, NeuralakeSystem.Mode.LOCAL);
      case "neuralake-frame" -> new NeuralakeFrameSystem(config);
      case "neuralake-s3-cold" -> new NeuralakeSystem(config, NeuralakeSystem.Mode.S3_COLD);
      case "neuralake-s3-warm" -> new NeuralakeSystem(config, NeuralakeSystem.Mode.S3_WARM);
      case "duckdb" -> new DuckDbSystem(config);
      case "spark" -> new SparkSystem(config);
      case "spark-neuralake" -> new SparkSystem(config, true);
      case "sdk-get" -> new SdkGetSystem(config);
      case "neuralake-append" -> new AppendSystem.Neuralake(config);
      case "spark-append" -> new AppendSystem.Spark(config);
      case "duckdb-copy" -> new AppendSystem.DuckDbCopy(config);
      default -> throw new IllegalArgumentException("unknown system '" + name
          + "'; systems: neuralake, neuralake-frame, duckdb, spark, spark-neuralake, neuralake-s3-cold, neuralake-s3-warm, sdk-get");
    };
  }
}
