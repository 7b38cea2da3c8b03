package io.neuralake.server.internal.flight;

import io.neuralake.query.Query;
import io.neuralake.server.internal.Door;
import io.neuralake.server.internal.ServerContext;
import io.neuralake.server.internal.Tls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Arrow Flight SQL door: a gRPC server (plain, or TLS only when configured) whose calls
 * authenticate by {@link FlightAuth} and are served by {@link LakeSqlProducer}.
 * Messages from clients are bounded by the request limit.
 */
public final class FlightDoor implements Door {
  private static final Logger LOG = LoggerFactory.getLogger(FlightDoor.class);
  /** Room for a message's framing around the largest request (SQL text) the limits allow. */
  private static final int FRAMING = 64 * 1024;
  /** How long a query planned for GetFlightInfo is held for its DoGet; a later DoGet plans it again. */
  static final Duration HOLD = Duration.ofSeconds(30);
  /** How often held queries past their time are closed. */
  private static final Duration SWEEP = Duration.ofSeconds(5);

  private final FlightServer server;
  private final BufferAllocator allocator;
  private final ExecutorService calls;
  private final Set<Query> running;
  private final AtomicBoolean stopping;
  private final HeldQueries held;
  private final ScheduledExecutorService sweeper;

  private FlightDoor(FlightServer server, BufferAllocator allocator, ExecutorService calls, Set<Query> running,
      AtomicBoolean stopping, HeldQueries held, ScheduledExecutorService sweeper) {
    this.server = server;
    this.allocator = allocator;
    this.calls = calls;
    this.running = running;
    this.stopping = stopping;
    this.held = held;
    this.sweeper = sweeper;
  }

  /** Starts listening on the context's address and {@code port} (0: any free port). */
  public static FlightDoor open(ServerContext context, int port) throws IOException {
    // results travel in the engine's Arrow memory; the door's own (parameters sent in) is a child of it
    BufferAllocator allocator = context.catalog().context().engine().allocator()
        .newChildAllocator("flight-door", 0, Long.MAX_VALUE);
    // platform threads, not virtual ones: a query runs inside the engine's native code, which would pin a
    // virtual thread's carrier and stall every other call; how many run at once is Admission's to bound
    ExecutorService calls = Executors.newCachedThreadPool(Thread.ofPlatform().name("flight-call-", 0).daemon(true)
        .factory());
    Set<Query> running = ConcurrentHashMap.newKeySet();
    AtomicBoolean stopping = new AtomicBoolean();
    FlightAuth auth = new FlightAuth(context.auth(), Clock.systemUTC());
    // as many planned queries as could be fetched at once, twice over in all
    int fetchable = context.limits().maxConcurrentQueries() + context.limits().maxQueuedQueries();
    HeldQueries held = new HeldQueries(2 * fetchable, fetchable, HOLD, Clock.systemUTC());
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("flight-held-queries").daemon(true).factory());
    sweeper.scheduleWithFixedDelay(held::expire, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    LakeSqlProducer producer = new LakeSqlProducer(context, auth, allocator, running, stopping, held,
        Clock.systemUTC());
    int maxMessage = (int) Math.min(Integer.MAX_VALUE - FRAMING, context.limits().maxRequestBytes()) + FRAMING;
    String host = context.bind().getHostAddress();
    FlightServer.Builder builder = FlightServer.builder(allocator, context.tls().isEmpty()
            ? Location.forGrpcInsecure(host, port) : Location.forGrpcTls(host, port), producer)
        .headerAuthenticator(auth)
        .executor(calls)
        .maxInboundMessageSize(maxMessage);
    if (context.tls().isPresent()) {
      // PEM from memory: gRPC (Netty on the JDK's TLS, 1.2 and 1.3) reads the chain and PKCS#8 key from streams
      Tls tls = context.tls().get();
      builder.useTls(new ByteArrayInputStream(tls.chainPem()), new ByteArrayInputStream(tls.keyPem()));
    }
    FlightServer server = builder.build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(server);
      calls.shutdownNow();
      sweeper.shutdownNow();
      held.close();
      allocator.close();
      throw e;
    }
    return new FlightDoor(server, allocator, calls, running, stopping, held, sweeper);
  }

  @Override
  public String name() {
    return ResultStreamer.DOOR;
  }

  @Override
  public int port() {
    return server.getPort();
  }

  @Override
  public void close(Duration grace) {
    server.shutdown();
    sweeper.shutdownNow();
    held.close();
    try {
      if (!server.awaitTermination(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)) {
        LOG.info("cancelling {} Flight SQL queries still running after the shutdown grace", running.size());
        stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
    }
    closeQuietly(server);
    calls.shutdownNow();
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      LOG.warn("the Flight SQL door's Arrow memory was not all released: {}", e.getMessage());
    }
  }

  /** Ends what still runs: queries in the engine are cancelled, streams waiting for their client end. */
  private void stop() {
    stopping.set(true);
    running.forEach(Query::cancel);
  }

  private static void closeQuietly(FlightServer server) {
    try {
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("closing the Flight SQL server: {}", e.toString());
    }
  }
}
