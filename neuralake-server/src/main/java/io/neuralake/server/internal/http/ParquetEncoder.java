package io.neuralake.server.internal.http;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.FileWrites;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;

/**
 * Rows as one Parquet file. Parquet's footer indexes the whole file, so the file is written
 * first: a private in-memory DuckDB (it sees nothing but this result) pulls the result's batches
 * through the Arrow C stream interface and writes them, row group by row group, to a temporary
 * file, which is then sent. Memory stays bounded by a row group; the disk holds the file.
 */
final class ParquetEncoder implements ResultEncoder {
  private final BufferAllocator allocator;

  ParquetEncoder(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  @Override
  public void write(ArrowReader reader, Progress out) throws IOException {
    AtomicLong rows = new AtomicLong();
    FileWrites.writeTo(out, ".parquet", temporary -> {
      try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
          Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        Data.exportArrayStream(allocator, reader, stream);
        c.unwrap(DuckDBConnection.class).registerArrowStream("result", stream);
        String path = temporary.toAbsolutePath().toString().replace("'", "''");
        rows.set(st.executeUpdate("COPY (SELECT * FROM result) TO '" + path + "' (FORMAT parquet)"));
      } catch (SQLException e) {
        throw new NeuralakeException(ErrorCode.INTERNAL, "writing the result as Parquet failed: " + e.getMessage(), e);
      }
    });
    out.batch(rows.get());
  }
}
