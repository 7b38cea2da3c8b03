package io.neuralake.server.internal.http;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.FileWrites;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows as one Parquet file, sent while it is written. A private in-memory DuckDB (it sees nothing
 * but this result) pulls the result's batches through the Arrow C stream interface and writes them,
 * row group by row group, into a named pipe that this thread reads and sends: Parquet writes its
 * footer last and never goes back, so each row group goes out as soon as it is written and memory
 * stays bounded by a row group, with nothing on disk. Without named pipes (Windows) the file is
 * written to a temporary file first, then sent.
 */
final class ParquetEncoder implements ResultEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetEncoder.class);
  private static final int CHUNK = 256 * 1024;

  private final BufferAllocator allocator;

  ParquetEncoder(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  @Override
  public void write(ArrowReader reader, Progress out) throws IOException {
    Optional<NamedPipe> pipe = NamedPipe.create("result.parquet");
    if (pipe.isEmpty()) {
      AtomicLong rows = new AtomicLong();
      FileWrites.writeTo(out, ".parquet", temporary -> rows.set(copy(reader, temporary, new AtomicReference<>())));
      out.batch(rows.get());
      return;
    }
    try (NamedPipe p = pipe.get()) {
      out.batch(stream(reader, p.path(), out));
    }
  }

  /**
   * Writes the result into the pipe on a platform thread (the engine's native code would pin a
   * virtual one) and sends what comes out of it; returns the rows written.
   */
  private long stream(ArrowReader reader, Path pipe, Progress out) throws IOException {
    // the pipe is opened read-write once, as a writer that stays until the copy ends: so neither this
    // read end nor the engine's write end waits for the other to open, and the read end sees its end
    // only when the copy is over, even one that failed before it opened the pipe
    RandomAccessFile keeper = new RandomAccessFile(pipe.toFile(), "rw");
    AtomicReference<Statement> running = new AtomicReference<>();
    CompletableFuture<Long> copied = new CompletableFuture<>();
    try (keeper; FileInputStream in = new FileInputStream(pipe.toFile())) {
      Thread.ofPlatform().name("neuralake-parquet").daemon(true).start(() -> {
        try {
          copied.complete(copy(reader, pipe, running));
        } catch (Throwable t) {
          copied.completeExceptionally(t);
        } finally {
          closeQuietly(keeper);
        }
      });
      byte[] chunk = new byte[CHUNK];
      IOException sendFailed = null;
      for (int n; (n = in.read(chunk)) >= 0; ) {
        if (sendFailed == null) {
          try {
            out.write(chunk, 0, n);
          } catch (IOException e) {
            // the client left: stop the copy, and drain the pipe so that the engine is never stuck writing to it
            sendFailed = e;
            cancel(running.get());
          }
        }
      }
      long rows = result(copied);
      if (sendFailed != null) {
        throw sendFailed;
      }
      return rows;
    }
  }

  /** Writes every batch of {@code reader} to {@code target} as Parquet; returns the rows written. */
  private long copy(ArrowReader reader, Path target, AtomicReference<Statement> running) throws IOException {
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      running.set(st);
      Data.exportArrayStream(allocator, reader, stream);
      c.unwrap(DuckDBConnection.class).registerArrowStream("result", stream);
      String path = target.toAbsolutePath().toString().replace("'", "''");
      // USE_TMP_FILE false: the pipe itself is the target, never a sibling renamed over it
      return st.executeUpdate("COPY (SELECT * FROM result) TO '" + path + "' (FORMAT parquet, USE_TMP_FILE false)");
    } catch (SQLException e) {
      throw new NeuralakeException(ErrorCode.INTERNAL, "writing the result as Parquet failed: " + e.getMessage(), e);
    }
  }

  private static long result(CompletableFuture<Long> copied) throws IOException {
    try {
      return copied.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new NeuralakeException(ErrorCode.INTERNAL, "writing the result as Parquet failed: " + cause, cause);
    }
  }

  private static void cancel(Statement st) {
    if (st != null) {
      try {
        st.cancel();
      } catch (SQLException e) {
        LOG.debug("cancelling the Parquet copy failed: {}", e.toString());
      }
    }
  }

  private static void closeQuietly(RandomAccessFile keeper) {
    try {
      keeper.close();
    } catch (IOException e) {
      LOG.debug("closing the pipe's writer failed: {}", e.toString());
    }
  }
}
