package io.neuralake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.DeltaTable;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.QueryService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BigIntVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers over one lake, each with its own runtime and cache as replicas in two processes
 * have, and a writer beside them: each commit is visible to the next query on both, without a
 * restart or a refresh (Delta logs are looked at per query). And closing a server lets a running
 * query finish within the shutdown grace, and cancels one that outlives it.
 *
 * <p>The servers run with no doors here, their queries through the query service as a door runs
 * them; the same over real doors belongs with the doors' tests.
 */
class ReplicasTest {
  @TempDir static Path dir;
  static ServerFixture first;
  static ServerFixture second;
  static ServerFixture writer;

  @BeforeAll
  static void lake() {
    first = ServerFixture.create(dir);
    second = first.replica(dir.resolve("second"));
    writer = first.writer(dir.resolve("writer"));
  }

  @AfterAll
  static void close() {
    writer.close();
    second.close();
    first.close();
  }

  private static NeuralakeServer noDoors(ServerFixture lake, Duration grace) {
    ServerLimits d = ServerLimits.defaults();
    ServerLimits limits = new ServerLimits(d.query(), d.maxConcurrentQueries(), d.maxQueuedQueries(), d.queueTimeout(),
        d.maxRequestBytes(), d.maxHeaderBytes(), d.idleTimeout(), grace);
    return lake.start(b -> b.httpPort(0).flightPort(0).pgPort(0).limits(limits));
  }

  private static long count(NeuralakeServer server, String sql) {
    QueryService queries = server.queries();
    try (Query q = queries.prepare(Principal.ANONYMOUS, sql);
        QueryService.Result r = queries.open(Principal.ANONYMOUS, "test", sql, q)) {
      assertThat(r.reader().loadNextBatch()).isTrue();
      return ((BigIntVector) r.reader().getVectorSchemaRoot().getVector(0)).get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The writer appends {@code n} copies of orders with new keys (status F, an existing partition). */
  private static void commit(int round, int n) {
    DeltaTable orders = (DeltaTable) writer.catalog.db("tpch").definition("orders");
    long offset = 1_000_000L * round;
    orders.append(writer.catalog.sql("SELECT o_orderkey + " + offset + " AS o_orderkey, o_custkey, 'F' AS o_orderstatus,"
        + " o_totalprice, o_orderdate, o_orderpriority FROM tpch.orders ORDER BY o_orderkey LIMIT " + n))
        .context(writer.catalog.context()).commit();
  }

  @Test
  void everyCommitIsVisibleToTheNextQueryOnEveryReplica() {
    try (NeuralakeServer a = noDoors(first, Duration.ofSeconds(5)); NeuralakeServer b = noDoors(second, Duration.ofSeconds(5))) {
      String sql = "SELECT count(*) FROM tpch.orders";
      long before = count(a, sql);
      assertThat(count(b, sql)).isEqualTo(before);
      for (int round = 1; round <= 3; round++) {
        commit(round, 7 * round);
        long expected = before + 7L * round * (round + 1) / 2;
        assertThat(count(a, sql)).as("replica a after commit %d", round).isEqualTo(expected);
        assertThat(count(b, sql)).as("replica b after commit %d", round).isEqualTo(expected);
        // pruning sees the new files too: the new rows are in partition F
        assertThat(count(b, "SELECT count(*) FROM tpch.orders WHERE o_orderstatus = 'F' AND o_orderkey > 1000000"))
            .isEqualTo(7L * round * (round + 1) / 2);
      }
    }
  }

  @Test
  void closingLetsARunningQueryFinishWithinTheGrace() throws Exception {
    NeuralakeServer server = noDoors(second, Duration.ofMinutes(1));
    QueryService queries = server.queries();
    String sql = "SELECT o_orderkey FROM tpch.orders";
    long expected = count(server, "SELECT count(*) FROM tpch.orders");
    ExecutorService closer = Executors.newSingleThreadExecutor();
    try (Query q = queries.prepare(Principal.ANONYMOUS, sql);
        QueryService.Result r = queries.open(Principal.ANONYMOUS, "test", sql, q)) {
      long rows = 0;
      assertThat(r.reader().loadNextBatch()).isTrue();
      rows += r.reader().getVectorSchemaRoot().getRowCount();
      Future<?> closing = closer.submit(server::close);
      // once closing has begun, new queries are refused (clients retry on another replica) ...
      awaitRefusal(queries);
      assertThat(closing.isDone()).as("close() waits for the running query").isFalse();
      // ... while the running one reads to its end
      while (r.reader().loadNextBatch()) {
        rows += r.reader().getVectorSchemaRoot().getRowCount();
      }
      assertThat(rows).isEqualTo(expected);
      r.close();
      closing.get(30, TimeUnit.SECONDS);
      assertThat(queries.running()).isZero();
    } finally {
      closer.shutdownNow();
      server.close();
    }
  }

  @Test
  void aQueryThatOutlivesTheGraceIsCancelled() throws Exception {
    NeuralakeServer server = noDoors(second, Duration.ofMillis(200));
    QueryService queries = server.queries();
    String sql = "SELECT o_orderkey FROM tpch.orders";
    try (Query q = queries.prepare(Principal.ANONYMOUS, sql);
        QueryService.Result r = queries.open(Principal.ANONYMOUS, "test", sql, q)) {
      CompletableFuture.runAsync(server::close).get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> {
        while (r.reader().loadNextBatch()) {
          // the client is too slow: it never gets to the end
        }
      }).isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    }
  }

  /** Bounded: waits until the service refuses new queries as overloaded. */
  private static void awaitRefusal(QueryService queries) throws InterruptedException {
    String sql = "SELECT 1 AS one FROM tpch.part LIMIT 1";
    for (int i = 0; i < 3000; i++) {
      try (Query q = queries.prepare(Principal.ANONYMOUS, sql)) {
        queries.open(Principal.ANONYMOUS, "test", sql, q).close();
      } catch (NeuralakeException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(e.getMessage()).contains("shutting down");
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server never began to refuse new queries while closing");
  }
}
