package io.neuralake.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.neuralake.types.DataType;

/**
 * A column of a remote table: its name, our type, and the database's type name. {@code comparable}
 * says whether filters on it can run remotely with the engine's meaning (not for json, uuid,
 * blank-padded char or binary columns, whose remote comparison differs from the engine's on text).
 */
public record RemoteColumn(String name, DataType type, String remoteType, boolean comparable) {
  public RemoteColumn {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(remoteType, "remoteType");
  }
}
