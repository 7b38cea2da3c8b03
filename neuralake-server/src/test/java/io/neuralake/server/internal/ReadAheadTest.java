package io.neuralake.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** Batches read ahead arrive whole and in order; a failure arrives as thrown; leaving early cancels and frees. */
class ReadAheadTest {
  private static final int ROWS = 1000;

  /** Numbers in batches of {@link #ROWS}; fails at batch {@code failAt}, or waits at it until cancelled. */
  private static final class Numbers extends ArrowReader {
    final int batches;
    final int failAt;
    final CountDownLatch cancelled = new CountDownLatch(1);
    final boolean waitAtFailure;
    int loaded;

    Numbers(BufferAllocator allocator, int batches, int failAt, boolean waitAtFailure) {
      super(allocator);
      this.batches = batches;
      this.failAt = failAt;
      this.waitAtFailure = waitAtFailure;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      if (loaded == failAt) {
        if (waitAtFailure) {
          try {
            cancelled.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IOException("cancelled");
        }
        throw new IOException("the engine failed at batch " + loaded);
      }
      if (loaded == batches) {
        return false;
      }
      BigIntVector n = (BigIntVector) getVectorSchemaRoot().getVector("n");
      n.allocateNew(ROWS);
      for (int i = 0; i < ROWS; i++) {
        n.set(i, (long) loaded * ROWS + i);
      }
      getVectorSchemaRoot().setRowCount(ROWS);
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
  void everyBatchArrivesInOrder() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); Numbers source = new Numbers(allocator, 50, -1, false)) {
      source.getVectorSchemaRoot();
      long expected = 0;
      try (ReadAhead ahead = new ReadAhead(source, allocator, () -> {})) {
        for (VectorSchemaRoot next; (next = ahead.next()) != null; ) {
          try (VectorSchemaRoot batch = next) {
            BigIntVector n = (BigIntVector) batch.getVector("n");
            for (int i = 0; i < batch.getRowCount(); i++) {
              assertThat(n.get(i)).isEqualTo(expected++);
            }
          }
        }
        assertThat(ahead.next()).isNull();
      }
      assertThat(expected).isEqualTo(50L * ROWS);
    }
  }

  @Test
  void theSourcesFailureIsThrownWhereTheBatchWouldBe() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); Numbers source = new Numbers(allocator, 50, 3, false)) {
      source.getVectorSchemaRoot();
      try (ReadAhead ahead = new ReadAhead(source, allocator, () -> {})) {
        for (int i = 0; i < 3; i++) {
          ahead.next().close();
        }
        assertThatThrownBy(ahead::next).isInstanceOf(IOException.class).hasMessage("the engine failed at batch 3");
      }
    }
  }

  @Test
  void leavingEarlyCancelsTheSourceAndFreesWhatWasReadAhead() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); Numbers source = new Numbers(allocator, 50, 10, true)) {
      source.getVectorSchemaRoot();
      AtomicBoolean cancelled = new AtomicBoolean();
      try (ReadAhead ahead = new ReadAhead(source, allocator, () -> {
        cancelled.set(true);
        source.cancelled.countDown();
      })) {
        ahead.next().close();
      }
      assertThat(cancelled).isTrue();
      source.close();
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }
}
