package io.neuralake.delta.internal.write;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.neuralake.frame.DataFrame;
import io.neuralake.types.Identifiers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta statistics of written files from what the engine's Parquet writer reports as it writes
 * ({@code COPY ... (RETURN_STATS)}: per file its row count and, per column, min, max, null count
 * and whether they are exact), so no written file is read back to measure it. The writer gives
 * values as text; a bound that is not exact, or whose text does not parse, is left out, which only
 * means files are not skipped by it. NaN is not in a float's bounds there, as it is not in
 * Delta's: a column holding NaN gets no maximum (NaN sorts above every number).
 */
final class WriterStatistics {
  private static final Logger LOG = LoggerFactory.getLogger(WriterStatistics.class);
  /** How the engine prints timestamps: fractional digits only when non-zero, an offset for time zones. */
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .appendPattern("[XXX][X]") // +05:30, or whole hours as +00 / -05
      .toFormatter(java.util.Locale.ROOT);

  private WriterStatistics() {}

  /** The statistics of each file in the rows of a {@code COPY ... (RETURN_STATS)}, by file. */
  static Map<Path, DataFileStatistics> of(DataFrame returned, List<DataFileWriter.FileColumn> columns) {
    Map<Path, DataFileStatistics> out = new HashMap<>();
    List<DataFileWriter.FileColumn> measured = columns.stream().filter(DataFileWriter.FileColumn::collectStats).toList();
    for (int r = 0; r < returned.rowCount(); r++) {
      Path file = Path.of((String) returned.get(r, "filename"));
      long rows = ((Number) returned.get(r, "count")).longValue();
      Map<?, ?> all = (Map<?, ?>) returned.get(r, "column_statistics");
      Map<Column, Literal> min = new HashMap<>();
      Map<Column, Literal> max = new HashMap<>();
      Map<Column, Long> nulls = new HashMap<>();
      for (DataFileWriter.FileColumn c : measured) {
        Map<?, ?> stats = all == null ? null : (Map<?, ?>) all.get(Identifiers.quote(c.physicalName()));
        if (stats == null) {
          continue; // unknown to the writer: no statistics, so no skipping by this column
        }
        Column column = new Column(c.physicalName());
        text(stats, "null_count").map(Long::parseLong).ifPresent(n -> nulls.put(column, n));
        boolean nan = text(stats, "has_nan").map(Boolean::parseBoolean).orElse(false);
        bound(stats, "min", c, file).ifPresent(v -> min.put(column, v));
        if (!nan) {
          bound(stats, "max", c, file).ifPresent(v -> max.put(column, v));
        }
      }
      out.put(file, new DataFileStatistics(rows, min, max, nulls, Optional.empty()));
    }
    return out;
  }

  /** One exact bound as Delta's literal, if the writer gave one that parses. */
  private static Optional<Literal> bound(Map<?, ?> stats, String which, DataFileWriter.FileColumn column, Path file) {
    if (!text(stats, which + "_is_exact").map(Boolean::parseBoolean).orElse(false)) {
      return Optional.empty();
    }
    Optional<String> text = text(stats, which);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(DataFileWriter.literal(value(text.get(), column.type()), column.type(), which.equals("min")));
    } catch (RuntimeException e) {
      LOG.debug("file {}: the writer's {} of column {} ('{}') is not read as a {}, so it is left out: {}",
          file, which, column.physicalName(), text.get(), column.type(), e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<String> text(Map<?, ?> stats, String key) {
    Object value = stats.get(key);
    return value == null ? Optional.empty() : Optional.of(value.toString());
  }

  /** The value of the writer's text of a bound, as {@link DataFileWriter#literal} takes it. */
  static Object value(String text, DataType type) {
    return switch (type) {
      case ByteType t -> Long.parseLong(text);
      case ShortType t -> Long.parseLong(text);
      case IntegerType t -> Long.parseLong(text);
      case LongType t -> Long.parseLong(text);
      case FloatType t -> floating(text);
      case DoubleType t -> floating(text);
      case DecimalType t -> new BigDecimal(text);
      case StringType t -> text;
      case DateType t -> LocalDate.parse(text);
      case TimestampType t -> OffsetDateTime.parse(unquoted(text), TIMESTAMP).toInstant();
      case TimestampNTZType t -> LocalDateTime.parse(unquoted(text), TIMESTAMP);
      default -> throw new DateTimeException("no statistics for " + type);
    };
  }

  private static double floating(String text) {
    return switch (text) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** Timestamps come in single quotes. */
  private static String unquoted(String text) {
    return text.length() >= 2 && text.startsWith("'") && text.endsWith("'") ? text.substring(1, text.length() - 1) : text;
  }
}
