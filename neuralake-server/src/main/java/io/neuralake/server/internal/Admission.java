package io.neuralake.server.internal;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the queries executing at once on all doors together, with a bounded queue in front: a
 * query beyond the queue, or one that waited its longest, is refused as {@link ErrorCode#OVERLOADED}
 * (HTTP 429) instead of piling up threads and memory. Fair: turns go in order of arrival.
 */
public final class Admission {
  private final Semaphore running;
  private final int maxRunning;
  private final int maxQueued;
  private final Duration queueTimeout;
  private final AtomicInteger queued = new AtomicInteger();

  public Admission(int maxRunning, int maxQueued, Duration queueTimeout) {
    this.running = new Semaphore(maxRunning, true);
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
    this.queueTimeout = queueTimeout;
  }

  /** A turn to execute; close it when the query's result is consumed or abandoned. */
  public Ticket enter() {
    // not tryAcquire(): it takes a free slot even from queries already waiting (fair or not), so
    // clients that come straight back starve those in the queue; a zero wait keeps the order
    if (acquire(0)) {
      return new Ticket(this);
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      throw overloaded("all " + maxRunning + " query slots are busy and " + maxQueued + " queries are waiting");
    }
    try {
      if (!acquire(queueTimeout.toNanos())) {
        throw overloaded("no query slot came free within " + queueTimeout.toMillis() + " ms");
      }
      return new Ticket(this);
    } finally {
      queued.decrementAndGet();
    }
  }

  private boolean acquire(long nanos) {
    try {
      return running.tryAcquire(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NeuralakeException(ErrorCode.CANCELLED, "the query was cancelled while waiting for a turn", e);
    }
  }

  /** Queries executing now. */
  public int running() {
    return maxRunning - running.availablePermits();
  }

  /** Queries waiting for a turn now. */
  public int queued() {
    return queued.get();
  }

  private static NeuralakeException overloaded(String why) {
    return new NeuralakeException(ErrorCode.OVERLOADED, "the server is busy: " + why + "; retry in a moment");
  }

  /** One query's turn; closing it twice frees one slot, once. */
  public static final class Ticket implements AutoCloseable {
    private final Admission admission;
    private boolean closed;

    private Ticket(Admission admission) {
      this.admission = admission;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        admission.running.release();
      }
    }
  }
}
