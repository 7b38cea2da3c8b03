package io.neuralake.server.internal.flight;

import io.neuralake.frame.DataFrame;
import io.neuralake.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/** Neuralake schemas as the Arrow schemas results are sent with, and in Arrow's IPC encoding. */
final class ArrowSchemas {
  private ArrowSchemas() {}

  /**
   * The Arrow schema of a result with these columns, as the library writes it: read off an empty
   * frame of that schema, so the public API stays the one place that maps types to Arrow.
   */
  static org.apache.arrow.vector.types.pojo.Schema of(Schema schema, BufferAllocator allocator) {
    List<List<?>> columns = new ArrayList<>();
    schema.fields().forEach(f -> columns.add(List.of()));
    try (DataFrame empty = DataFrame.fromColumns(schema, columns); ArrowReader reader = empty.arrowReader(allocator)) {
      return reader.getVectorSchemaRoot().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A schema in Arrow's IPC encoding, as Flight SQL carries it inside messages. */
  static byte[] serialize(org.apache.arrow.vector.types.pojo.Schema schema) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
