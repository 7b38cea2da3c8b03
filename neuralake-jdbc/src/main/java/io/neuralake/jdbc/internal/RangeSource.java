package io.neuralake.jdbc.internal;

import io.neuralake.NeuralakeException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.arrow.vector.ipc.ArrowReader;

/** What a parallel read needs from its table: connections, a reader per query, and its error wording. */
public interface RangeSource {
  /** The table's name, for errors and logs. */
  String table();

  /** A pooled connection; the caller closes it (back to the pool). */
  Connection connect();

  /** Runs {@code query} on {@code connection}, which the reader then owns (closing it returns the connection). */
  ArrowReader open(Connection connection, RemoteQuery query);

  /** How long a query may wait for its first rows. */
  Duration queryTimeout();

  /** A failed query as the table's error (naming the table and host, and what to do on a timeout). */
  NeuralakeException failed(SQLException e);
}
