package io.neuralake.server.internal.http;

import java.io.IOException;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Writes a query's result, batch by batch as the reader hands them over, in one format. */
@FunctionalInterface
interface ResultEncoder {
  /** Writes every batch of {@code reader} to {@code out}, reporting each batch to it. */
  void write(ArrowReader reader, Progress out) throws IOException;
}
