package io.neuralake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What a worker needs to set up its system; passed to worker processes as JSON.
 *
 * @param data the dataset folder on local disk (every system reads the same files)
 * @param scaleFactor the TPC-H scale factor
 * @param s3Location where the same files are on S3 ({@code s3://bucket/prefix}), or empty
 * @param cacheDir the Neuralake file cache folder for S3 systems
 * @param threads engine threads: DuckDB threads and Spark's local[N]
 * @param format {@code parquet}, or {@code delta} (the same data as Delta tables written by Neuralake)
 */
public record BenchConfig(String data, double scaleFactor, String s3Location, String cacheDir, int threads, String format) {

  public BenchConfig(String data, double scaleFactor, String s3Location, String cacheDir, int threads) {
    this(data, scaleFactor, s3Location, cacheDir, threads, "parquet");
  }

  public boolean delta() {
    return "delta".equals(format);
  }
  private static final ObjectMapper JSON = new ObjectMapper();

  public Path dataDir() {
    return Path.of(data);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BenchConfig fromJson(String json) {
    try {
      return JSON.readValue(json, BenchConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
