package io.neuralake.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** What a store knows about one object without reading it. */
public record ObjectInfo(Location location, long size, Instant lastModified, String etag) {
  public ObjectInfo {
    requireNonNull(location, "location");
    etag = etag == null ? "" : etag;
  }
}
