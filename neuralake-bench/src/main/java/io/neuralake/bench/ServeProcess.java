package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.EngineOptions;
import io.neuralake.query.Query;
import io.neuralake.query.QueryLimits;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerLimits;
import io.neuralake.table.ParquetTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * The far side of {@link ServerMemoryBench}, in a JVM of its own so that its memory and CPU are
 * its own: {@code serve DATA CACHE} runs an HTTP-only server over TPC-H until stdin closes; {@code read
 * DATA CACHE SQL} reads a result batch by batch and drops each batch (the in-process baseline); {@code
 * collect DATA CACHE SQL} keeps every batch until the end, as a server that buffers a result before
 * encoding it must. Lines on stdout: {@code READY port}, then {@code PEAK heapBytes} after each
 * {@code PEAK} asked on stdin (the most heap in use since the last one), or {@code DONE rows arrowBytes
 * nanos cpuNanos}.
 */
final class ServeProcess {
  private ServeProcess() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path data = Path.of(args[1]);
    Path cache = Path.of(args[2]);
    HeapPeak heap = new HeapPeak();
    try (LakeRuntime runtime = LakeRuntime.builder().root(data.toString()).cacheFolder(cache)
        .engineOptions(EngineOptions.fromEnvironment().locked(data, cache)).build()) {
      Catalog catalog = Catalog.builder("bench")
          .database("tpch", ParquetTable.builder("lineitem", "lineitem").build(),
              ParquetTable.builder("orders", "orders").build())
          .runtime(runtime).build();
      if (mode.equals("serve")) {
        serve(catalog, heap);
      } else {
        System.out.println(read(catalog, args[3], mode.equals("collect")));
        System.out.println("PEAK " + heap.takePeak());
      }
    } finally {
      heap.close();
    }
  }

  private static void serve(Catalog catalog, HeapPeak heap) throws Exception {
    ServerLimits d = ServerLimits.defaults();
    ServerLimits limits = new ServerLimits(QueryLimits.none().withWallTime(Duration.ofMinutes(10)),
        d.maxConcurrentQueries(), d.maxQueuedQueries(), Duration.ofMinutes(2), d.maxRequestBytes(), d.maxHeaderBytes(),
        d.idleTimeout(), Duration.ofSeconds(5));
    try (NeuralakeServer server = NeuralakeServer.builder(catalog).httpPort(NeuralakeServer.ANY_PORT).flightPort(0)
        .pgPort(0).limits(limits).start()) {
      System.out.println("READY " + server.httpPort().orElseThrow());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("PEAK")) {
          System.out.println("PEAK " + heap.takePeak());
        }
      }
    }
  }

  /** Reads the result; with {@code keep}, holds every batch until the end. */
  private static String read(Catalog catalog, String sql, boolean keep) throws Exception {
    List<ArrowRecordBatch> kept = new ArrayList<>();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    long rows = 0;
    long bytes = 0;
    try (Query q = catalog.prepare(sql); ArrowReader r = q.open(QueryLimits.none())) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      while (r.loadNextBatch()) {
        rows += root.getRowCount();
        for (FieldVector v : root.getFieldVectors()) {
          bytes += v.getBufferSize();
        }
        if (keep) {
          kept.add(new VectorUnloader(root).getRecordBatch()); // holds the batch's buffers
        }
      }
      String done = "DONE " + rows + " " + bytes + " " + (System.nanoTime() - start) + " " + (os.getProcessCpuTime() - cpu);
      kept.forEach(ArrowRecordBatch::close); // before the reader: its memory must be all returned when it closes
      kept.clear();
      return done;
    } finally {
      kept.forEach(ArrowRecordBatch::close);
    }
  }

  /** The most heap in use between two looks, sampled every 10 ms (a collection may hide a shorter peak). */
  private static final class HeapPeak implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile long peak;

    HeapPeak() {
      sampler = Thread.ofPlatform().daemon(true).name("heap-peak").start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    long takePeak() {
      long p = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      peak = 0;
      return p;
    }

    @Override
    public void close() {
      sampler.interrupt();
    }
  }
}
