package io.neuralake.sample;

import io.neuralake.frame.DataFrame;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's small lake: the seed's {@code parts.parquet} (TPC-H parts) and a hive-partitioned
 * spike dataset like the talk's ({@code spikes/implant_id=.../date=.../part-0.parquet}).
 * Deterministic, so examples and tests see the same rows every time.
 */
public final class SampleLake {
  public static final List<Long> IMPLANTS = List.of(4595L, 4596L, 5012L);
  public static final List<String> DATES = List.of("2024-04-27", "2024-04-28", "2024-04-29");
  private static final int SPIKE_ROWS_PER_PARTITION = 2_000;

  private SampleLake() {}

  /** Writes the sample lake under {@code dir}; returns the files written. */
  public static List<Path> create(Path dir) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      Path parts = dir.resolve("parts.parquet");
      Path tmp = dir.resolve("parts-tmp");
      TpchData.writeTable("part", tmp, 0.01, Integer.MAX_VALUE);
      Files.move(tmp.resolve("part-00000.parquet"), parts, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.delete(tmp);
      written.add(parts);
      written.addAll(writeSpikes(dir.resolve("spikes")));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the sample lake in " + dir + ": " + e.getMessage(), e);
    }
    return written;
  }

  /** TPC-H orders (scale 0.01, 15,000 rows) as Parquet in a folder, to be appended to a Delta table. */
  public static Path writeOrders(Path folder) {
    TpchData.writeTable("orders", folder, 0.01, Integer.MAX_VALUE);
    return folder;
  }

  private static List<Path> writeSpikes(Path root) {
    Schema schema = Schema.of(
        Field.of("ts", DataType.TIMESTAMP),
        Field.of("channel", DataType.INT32),
        Field.of("spike_count", DataType.INT64),
        Field.of("rate_hz", DataType.FLOAT64));
    List<Path> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(4595);
    for (Long implant : IMPLANTS) {
      for (String date : DATES) {
        List<Object> ts = new ArrayList<>();
        List<Object> channel = new ArrayList<>();
        List<Object> count = new ArrayList<>();
        List<Object> rate = new ArrayList<>();
        LocalDateTime start = LocalDate.parse(date).atStartOfDay();
        for (int i = 0; i < SPIKE_ROWS_PER_PARTITION; i++) {
          ts.add(start.plusSeconds(i * 40L));
          channel.add(i % 64);
          long spikes = random.nextLong(0, 50);
          count.add(spikes);
          rate.add(spikes / 0.5);
        }
        Path file = root.resolve("implant_id=" + implant).resolve("date=" + date).resolve("part-0.parquet");
        try (DataFrame df = DataFrame.fromColumns(schema, List.of(ts, channel, count, rate))) {
          df.writeParquet(file);
        }
        out.add(file);
      }
    }
    return out;
  }
}
