package io.neuralake.sample;

import io.neuralake.frame.DataFrame;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the TPC-H tables as Parquet, generated in Java by the reference generator: real
 * benchmark data with no download. Each table becomes a folder of files of at most
 * {@code rowsPerFile} rows: {@code <dir>/lineitem/part-00000.parquet}, ...
 */
public final class TpchData {
  private static final Logger LOG = LoggerFactory.getLogger(TpchData.class);

  private TpchData() {}

  /** The TPC-H table names, in the generator's order. */
  public static List<String> tableNames() {
    return TpchTable.getTables().stream().map(TpchTable::getTableName).toList();
  }

  /** Writes every table; returns the total number of rows. */
  public static long write(Path dir, double scaleFactor, int rowsPerFile, LongConsumer rowsProgress) {
    long total = 0;
    for (TpchTable<?> table : TpchTable.getTables()) {
      total += writeTable(table, dir.resolve(table.getTableName()), scaleFactor, rowsPerFile, rowsProgress);
    }
    return total;
  }

  /** Writes one table by name ({@code part}, {@code lineitem}, ...). */
  public static long writeTable(String name, Path folder, double scaleFactor, int rowsPerFile) {
    return writeTable(TpchTable.getTable(name), folder, scaleFactor, rowsPerFile, n -> { });
  }

  /** The schema of a TPC-H table as generated (prices as float64, dates as date). */
  public static Schema schema(String name) {
    return schemaOf(TpchTable.getTable(name));
  }

  private static <E extends TpchEntity> long writeTable(TpchTable<E> table, Path folder, double scaleFactor,
      int rowsPerFile, LongConsumer rowsProgress) {
    Schema schema = schemaOf(table);
    List<TpchColumn<E>> columns = table.getColumns();
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long rows = 0;
    int file = 0;
    List<List<Object>> chunk = newChunk(columns.size(), rowsPerFile);
    for (E entity : table.createGenerator(scaleFactor, 1, 1)) {
      for (int c = 0; c < columns.size(); c++) {
        chunk.get(c).add(value(columns.get(c), entity));
      }
      if (chunk.get(0).size() == rowsPerFile) {
        flush(schema, chunk, folder, file++);
        rows += rowsPerFile;
        rowsProgress.accept(rowsPerFile);
        chunk = newChunk(columns.size(), rowsPerFile);
      }
    }
    int rest = chunk.get(0).size();
    if (rest > 0 || file == 0) {
      flush(schema, chunk, folder, file);
      rows += rest;
      rowsProgress.accept(rest);
    }
    LOG.info("tpch {} (sf {}): {} rows in {}", table.getTableName(), scaleFactor, rows, folder);
    return rows;
  }

  private static List<List<Object>> newChunk(int columns, int rows) {
    List<List<Object>> chunk = new ArrayList<>(columns);
    for (int c = 0; c < columns; c++) {
      chunk.add(new ArrayList<>(Math.min(rows, 1 << 20)));
    }
    return chunk;
  }

  private static void flush(Schema schema, List<List<Object>> chunk, Path folder, int index) {
    try (DataFrame df = DataFrame.fromColumns(schema, chunk)) {
      df.writeParquet(folder.resolve(String.format(Locale.ROOT, "part-%05d.parquet", index)));
    }
  }

  private static <E extends TpchEntity> Schema schemaOf(TpchTable<E> table) {
    List<Field> fields = new ArrayList<>();
    for (TpchColumn<E> c : table.getColumns()) {
      DataType type = switch (c.getType().getBase()) {
        case IDENTIFIER -> DataType.INT64;
        case INTEGER -> DataType.INT32;
        case DOUBLE -> DataType.FLOAT64;
        case VARCHAR -> DataType.STRING;
        case DATE -> DataType.DATE;
      };
      fields.add(Field.required(c.getColumnName(), type));
    }
    return new Schema(fields);
  }

  private static <E extends TpchEntity> Object value(TpchColumn<E> c, E e) {
    return switch (c.getType().getBase()) {
      case IDENTIFIER -> c.getIdentifier(e);
      case INTEGER -> c.getInteger(e);
      case DOUBLE -> c.getDouble(e);
      case VARCHAR -> c.getString(e);
      case DATE -> LocalDate.ofEpochDay(c.getDate(e));
    };
  }
}
