package io.neuralake.delta;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.delta.internal.write.PreparedCommit;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.spi.Values;
import io.neuralake.table.LakeContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Low-latency appends to a Delta table. Appends are buffered and committed together when a row
 * count, a byte size or a latency bound is reached; each append's future completes once its rows
 * are committed (durable and visible), or fails if the commit fails. Memory is bounded: an append
 * waits while too many rows are not yet committed. The next batch's files are written while the
 * previous batch waits to commit; commits stay one at a time and in order.
 *
 * <p>With an application id ({@link WriteOptions#appId()}), batches given ids through
 * {@link #append(long, List)} are exactly-once: every commit records the highest batch id it
 * holds (a Delta {@code txn} action), a batch at or below the committed id is acknowledged without
 * writing, and a restarted writer reads where its predecessor stopped ({@link #committedBatchId()}).
 * Once a batch with ids fails to commit, later ones are not committed either (a higher recorded id
 * would make a restart skip the lost batch): open a new writer and append them again.
 */
public final class StreamingWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingWriter.class);
  /** Commits one writer without an application id may have waiting at once (they group; see {@link #committing}). */
  private static final int COMMITS_IN_FLIGHT = 4;

  /** Buffered rows; {@code owned} frames were built by the writer and are freed once committed. */
  private record Pending(DataFrame rows, boolean owned, long count, long bytes, long batchId,
      CompletableFuture<CommitResult> done, long at) {}

  private final DeltaTable table;
  private final LakeContext context;
  private final WriteOptions options;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Pending> buffer = new ArrayList<>();
  private final Thread committer;
  /**
   * Commits of prepared batches: one at a time and in order with an application id (a batch id
   * must not land before an earlier one); without one, batches are independent appends and up to
   * {@link #COMMITS_IN_FLIGHT} wait at once, so a batch written while an earlier one waits for its
   * turn joins the next commit of the table instead of waiting for that one to finish first.
   */
  private final ExecutorService committing;
  private long bufferedRows;
  private long bufferedBytes;
  private long unacknowledgedRows;
  private long committedBatchId;
  private long lastBatchId;
  private boolean flushRequested;
  private boolean closed;

  StreamingWriter(DeltaTable table, LakeContext context, WriteOptions options) {
    this.table = requireNonNull(table, "table");
    this.context = requireNonNull(context, "context");
    this.options = requireNonNull(options, "options");
    this.committedBatchId = options.appId().map(id -> DeltaWrites.committedTransaction(table, context, id)).orElse(-1L);
    this.lastBatchId = committedBatchId;
    var commitThreads = Thread.ofPlatform().name("neuralake-commit-" + table.name()).daemon().factory();
    this.committing = options.appId().isPresent() ? Executors.newSingleThreadExecutor(commitThreads)
        : Executors.newFixedThreadPool(COMMITS_IN_FLIGHT, commitThreads);
    this.committer = Thread.ofPlatform().name("neuralake-writer-" + table.name()).daemon().start(this::commitLoop);
  }

  /** The highest batch id committed for this writer's application id (-1 if none). */
  public long committedBatchId() {
    lock.lock();
    try {
      return committedBatchId;
    } finally {
      lock.unlock();
    }
  }

  /** Appends rows given as maps of column name to value. */
  public CompletableFuture<CommitResult> append(List<? extends Map<String, ?>> rows) {
    return enqueue(DataFrame.fromRows(rows), true, -1);
  }

  /** Appends a batch with an id: exactly once per id for this writer's application id. */
  public CompletableFuture<CommitResult> append(long batchId, List<? extends Map<String, ?>> rows) {
    return enqueue(DataFrame.fromRows(rows), true, batchId);
  }

  /** Appends a frame's rows; the frame stays the caller's (it must stay open until the future completes). */
  public CompletableFuture<CommitResult> append(DataFrame rows) {
    return enqueue(rows, false, -1);
  }

  public CompletableFuture<CommitResult> append(long batchId, DataFrame rows) {
    return enqueue(rows, false, batchId);
  }

  /** Appends Java records (one column per component). */
  public <R extends Record> CompletableFuture<CommitResult> appendRecords(Class<R> type, List<R> records) {
    return enqueue(DataFrame.fromRecords(type, records), true, -1);
  }

  /** Appends an Arrow batch (its rows are copied, so the caller may reuse it). */
  public CompletableFuture<CommitResult> append(VectorSchemaRoot batch) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < batch.getRowCount(); i++) {
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      for (var v : batch.getFieldVectors()) {
        row.put(v.getName(), Values.arrowValue(v, i));
      }
      rows.add(row);
    }
    return append(rows);
  }

  private CompletableFuture<CommitResult> enqueue(DataFrame rows, boolean owned, long batchId) {
    long count = rows.rowCount();
    long bytes = rows.arrowBatches().stream().mapToLong(b -> b.getFieldVectors().stream()
        .mapToLong(v -> v.getBufferSize()).sum()).sum();
    CompletableFuture<CommitResult> done = new CompletableFuture<>();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the writer for table '" + table.name() + "' is closed");
      }
      if (batchId >= 0) {
        if (options.appId().isEmpty()) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
              "batch ids need an application id: WriteOptions.builder().appId(...)");
        }
        if (batchId <= committedBatchId) {
          // committed before (e.g. by this application before a restart): acknowledge, write nothing
          if (owned) {
            rows.close();
          }
          done.complete(CommitResult.nothing(-1));
          return done;
        }
        if (batchId <= lastBatchId) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
              "batch id " + batchId + " is not after the last one given, " + lastBatchId
              + "; batch ids must increase");
        }
        lastBatchId = batchId;
      }
      // backpressure: wait while too much is not yet committed
      while (unacknowledgedRows > 0 && unacknowledgedRows + count > options.maxBufferedRows() && !closed) {
        changed.awaitUninterruptibly();
      }
      buffer.add(new Pending(rows, owned, count, bytes, batchId, done, System.nanoTime()));
      bufferedRows += count;
      bufferedBytes += bytes;
      unacknowledgedRows += count;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return done;
  }

  /** Commits what is buffered now and waits for it. */
  public void flush() {
    List<CompletableFuture<CommitResult>> waiting;
    lock.lock();
    try {
      waiting = buffer.stream().map(Pending::done).toList();
      flushRequested = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).join();
  }

  /** Commits what is buffered, waits for the checkpoints those commits asked for, then stops. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      committer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    // the checkpoints these commits asked for are part of the work a caller is waiting for
    DeltaWrites.awaitHooks(context);
  }

  /**
   * Takes due batches and writes their files; their commits run on {@link #committing}, so the
   * next batch's files are written while the previous batch waits for its turn to commit. With an
   * application id a batch's commit starts once the previous one ended (and only if it committed);
   * without one it starts at once, and the table's commit queue groups it with those still waiting.
   */
  private void commitLoop() {
    boolean ordered = options.appId().isPresent();
    CompletableFuture<Boolean> previous = CompletableFuture.completedFuture(true);
    List<CompletableFuture<Boolean>> inFlight = new ArrayList<>();
    try {
      while (true) {
        List<Pending> batch = nextBatch();
        if (batch == null) {
          return;
        }
        Optional<PreparedCommit> prepared = prepare(batch);
        if (!ordered) {
          inFlight.removeIf(CompletableFuture::isDone);
          prepared.ifPresent(p -> inFlight.add(CompletableFuture.supplyAsync(() -> commit(batch, p, true), committing)));
          continue;
        }
        boolean previousCommitted = previous.join();
        previous = prepared.isEmpty() ? CompletableFuture.completedFuture(false)
            : CompletableFuture.supplyAsync(() -> commit(batch, prepared.get(), previousCommitted), committing);
      }
    } finally {
      previous.join();
      inFlight.forEach(CompletableFuture::join);
      committing.shutdown();
    }
  }

  /** The next due batch, waiting for it; null once closed with nothing left. */
  private List<Pending> nextBatch() {
    lock.lock();
    try {
      while (!due()) {
        if (closed && buffer.isEmpty()) {
          return null;
        }
        long waitNanos = buffer.isEmpty() ? Long.MAX_VALUE
            : options.maxLatency().toNanos() - (System.nanoTime() - buffer.get(0).at());
        try {
          if (waitNanos == Long.MAX_VALUE) {
            changed.await();
          } else if (waitNanos > 0) {
            changed.await(waitNanos, TimeUnit.NANOSECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      List<Pending> batch = new ArrayList<>(buffer);
      buffer.clear();
      bufferedRows = 0;
      bufferedBytes = 0;
      flushRequested = false;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** The buffered rows as one frame: one table for the engine when the appends share a schema. */
  private static Frame frames(List<Pending> batch) {
    List<DataFrame> frames = batch.stream().map(Pending::rows).toList();
    if (frames.stream().allMatch(f -> f.schema().equals(frames.get(0).schema()))) {
      return Frame.concat(frames);
    }
    Frame all = frames.get(0).lazy();
    return all.union(frames.subList(1, frames.size()).stream().map(DataFrame::lazy).toArray(Frame[]::new));
  }

  private boolean due() {
    if (buffer.isEmpty()) {
      return false;
    }
    return closed || flushRequested || bufferedRows >= options.maxRows() || bufferedBytes >= options.maxBytes()
        || System.nanoTime() - buffer.get(0).at() >= options.maxLatency().toNanos();
  }

  /** Writes the batch's files; on failure fails its appends (nothing was committed). */
  private Optional<PreparedCommit> prepare(List<Pending> batch) {
    long highestId = batch.stream().mapToLong(Pending::batchId).max().orElse(-1);
    try {
      return Optional.of(DeltaWrites.prepareAppend(table, context, frames(batch), options,
          highestId >= 0 ? Optional.of(highestId) : Optional.empty(), files -> { }));
    } catch (RuntimeException e) {
      settle(batch, null, e);
      return Optional.empty();
    }
  }

  /**
   * Commits a prepared batch, unless an earlier batch with batch ids failed to commit: recording a
   * higher id would make a restarted writer skip the lost one. Returns whether it committed.
   */
  private boolean commit(List<Pending> batch, PreparedCommit prepared, boolean previousCommitted) {
    long highestId = batch.stream().mapToLong(Pending::batchId).max().orElse(-1);
    if (!previousCommitted && highestId >= 0) {
      settle(batch, null, new IllegalStateException("table '" + table.name() + "': an earlier batch of this writer failed"
          + " to commit, so batches up to id " + highestId + " were not committed after it; open a new writer (it resumes"
          + " after the last committed batch id, committedBatchId()) and append them again"));
      return false;
    }
    try {
      settle(batch, prepared.commit(), null);
      return true;
    } catch (RuntimeException e) {
      if (highestId >= 0 && DeltaWrites.isDuplicateTransaction(e)) {
        // another run of this application committed these batches already: exactly once
        settle(batch, CommitResult.nothing(-1), null);
        return true;
      }
      settle(batch, null, e);
      return false;
    }
  }

  /** Completes a batch's appends with its result or failure, and frees its memory. */
  private void settle(List<Pending> batch, CommitResult result, RuntimeException failure) {
    long rows = batch.stream().mapToLong(Pending::count).sum();
    long highestId = batch.stream().mapToLong(Pending::batchId).max().orElse(-1);
    try {
      if (failure == null) {
        lock.lock();
        try {
          committedBatchId = Math.max(committedBatchId, highestId);
        } finally {
          lock.unlock();
        }
        batch.forEach(p -> p.done().complete(result));
      } else {
        LOG.warn("table {}: committing {} rows failed: {}", table.name(), rows, failure.toString());
        batch.forEach(p -> p.done().completeExceptionally(failure));
      }
    } finally {
      batch.stream().filter(Pending::owned).forEach(p -> p.rows().close());
      lock.lock();
      try {
        unacknowledgedRows -= rows;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
