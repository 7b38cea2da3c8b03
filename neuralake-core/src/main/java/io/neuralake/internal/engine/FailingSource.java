package io.neuralake.internal.engine;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An Arrow source as the engine reads it, telling {@code failed} the first error a batch raises:
 * the engine hands on only a line of it, or none (a query that fails before its first rows is run
 * again for its message, and a stream cannot be read twice), so the session reports the source's
 * own error, which names the table and what went wrong.
 */
final class FailingSource extends ArrowReader {
  private final ArrowReader source;
  private final Consumer<Throwable> failed;

  FailingSource(ArrowReader source, Consumer<Throwable> failed) {
    super(null);
    this.source = source;
    this.failed = failed;
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    return source.getVectorSchemaRoot();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    try {
      return source.loadNextBatch();
    } catch (IOException | RuntimeException | Error e) {
      failed.accept(e);
      throw e;
    }
  }

  @Override
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return source.getDictionaryVectors();
  }

  @Override
  public Dictionary lookup(long id) {
    return source.lookup(id);
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return source.getDictionaryIds();
  }

  @Override
  public long bytesRead() {
    return source.bytesRead();
  }

  @Override
  protected void closeReadSource() throws IOException {
    source.close();
  }

  @Override
  protected Schema readSchema() throws IOException {
    return source.getVectorSchemaRoot().getSchema();
  }
}
