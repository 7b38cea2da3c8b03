package io.neuralake.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet encoder sends row groups while the result is still being read, and the file reads back whole. */
class ParquetEncoderTest {
  private static final int BATCH = 65_536;

  @TempDir
  static Path dir;

  /**
   * Numbers 0..batches*BATCH-1 in batches; past {@code holdAfter} batches it waits (at most a
   * minute) until {@code sent} opens: a writer that buffered the whole file would never send before
   * the end, so the reader would give up and the test fail.
   */
  private static final class Numbers extends ArrowReader {
    private final int batches;
    private final int holdAfter;
    private final CountDownLatch sent;
    private int loaded;

    Numbers(BufferAllocator allocator, int batches, int holdAfter, CountDownLatch sent) {
      super(allocator);
      this.batches = batches;
      this.holdAfter = holdAfter;
      this.sent = sent;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      if (loaded == batches) {
        return false;
      }
      if (loaded == holdAfter) {
        try {
          if (!sent.await(60, TimeUnit.SECONDS)) {
            throw new IOException("nothing was sent after " + holdAfter + " batches: the Parquet file was held back");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      BigIntVector n = (BigIntVector) getVectorSchemaRoot().getVector("n");
      n.allocateNew(BATCH);
      for (int i = 0; i < BATCH; i++) {
        n.set(i, (long) loaded * BATCH + i);
      }
      getVectorSchemaRoot().setRowCount(BATCH);
      loaded++;
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {}

    @Override
    protected Schema readSchema() {
      return new Schema(List.of(Field.nullable("n", new ArrowType.Int(64, true))));
    }
  }

  @Test
  void rowGroupsGoOutBeforeTheResultIsReadToItsEnd() throws Exception {
    // 12.6 million rows, held after 8.4 million: DuckDB's writer gathers a few MB (some millions of
    // these rows) before its first write, then writes row group after row group
    int batches = 192;
    CountDownLatch sent = new CountDownLatch(1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    OutputStream client = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        body.write(b, off, len);
        sent.countDown();
      }
    };
    AtomicLong rows = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    try (BufferAllocator allocator = new RootAllocator();
        Numbers reader = new Numbers(allocator, batches, 128, sent)) {
      new ParquetEncoder(allocator).write(reader, new Progress(client, null, (r, b) -> {
        rows.addAndGet(r);
        bytes.addAndGet(b);
      }));
    }
    assertThat(sent.getCount()).isZero();
    assertThat(rows.get()).isEqualTo((long) batches * BATCH);
    assertThat(bytes.get()).isEqualTo(body.size());
    Path file = Files.write(dir.resolve("streamed.parquet"), body.toByteArray());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), sum(n), count(DISTINCT n) FROM read_parquet('" + file + "')")) {
      assertThat(rs.next()).isTrue();
      long total = (long) batches * BATCH;
      assertThat(rs.getLong(1)).isEqualTo(total);
      assertThat(rs.getLong(2)).isEqualTo(total * (total - 1) / 2);
      assertThat(rs.getLong(3)).isEqualTo(total);
    }
  }
}
