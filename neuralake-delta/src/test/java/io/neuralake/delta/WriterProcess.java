package io.neuralake.delta;

import io.neuralake.engine.Engine;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;

/**
 * A writer in a process of its own, as a real ingest job runs: it appends tagged batches with ids
 * under its application id and prints "ACK <batch>" once each is committed. Restarted after a
 * crash, it continues after the last committed batch. S3 settings come from the environment.
 *
 * <p>Arguments: table location, writer name, number of batches, rows per batch, optionally the
 * milliseconds to wait for the host commit lock (the writer then takes it), and optionally
 * {@code plain}: appends without an application id or batch ids (at-least-once on their own, so
 * not restartable; plain appends are what writer processes can commit for each other).
 */
public final class WriterProcess {
  static final Schema SCHEMA = Schema.of(Field.required("writer", DataType.STRING), Field.required("batch", DataType.INT64),
      Field.required("seq", DataType.INT64), Field.of("payload", DataType.STRING));

  private WriterProcess() {}

  static DeltaTable table(String location) {
    return DeltaTable.builder("ingest", location).schema(SCHEMA).partitionedBy("writer")
        .property("delta.checkpointInterval", "5").build();
  }

  private static void acknowledge(long batch) {
    synchronized (System.out) {
      System.out.println("ACK " + batch);
      System.out.flush();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    String location = args[0];
    String writer = args[1];
    int batches = Integer.parseInt(args[2]);
    int rows = Integer.parseInt(args[3]);
    LakeContext context = new LakeContext(Location.parse("/"), Storage.defaults(), Engine.shared());
    DeltaTable table = table(location);
    table.create(context);
    // plain: appends without batch ids, each waiting for the one before; stream: without waiting,
    // one every 20 ms, as a stream of events arrives
    boolean stream = args.length > 5 && args[5].equals("stream");
    boolean plain = stream || args.length > 5 && args[5].equals("plain");
    WriteOptions.Builder builder = WriteOptions.builder().maxRows(rows * 2L).maxLatency(Duration.ofMillis(50));
    if (!plain) {
      builder.appId("ingest-" + writer);
    }
    if (args.length > 4 && Long.parseLong(args[4]) >= 0) {
      builder.hostCommitLock(true).hostCommitLockWait(Duration.ofMillis(Long.parseLong(args[4])));
    }
    WriteOptions options = builder.build();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    try (StreamingWriter w = table.streamingWriter(context, options)) {
      long start = w.committedBatchId() + 1;
      System.out.println("START " + start);
      for (long b = start; b < batches; b++) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("writer", writer);
          r.put("batch", b);
          r.put("seq", (long) i);
          r.put("payload", writer + "-" + b + "-" + i);
          data.add(r);
        }
        long batch = b;
        if (stream) {
          pending.add(w.append(data).thenRun(() -> acknowledge(batch)));
          Thread.sleep(20);
        } else {
          (plain ? w.append(data) : w.append(b, data)).join();
          acknowledge(batch);
        }
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }
    System.out.println("DONE");
  }
}
