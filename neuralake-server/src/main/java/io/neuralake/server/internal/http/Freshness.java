package io.neuralake.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.table.TableDetails;
import java.io.IOException;

/**
 * How fresh a table is, from its metadata only: a Delta table's latest version and commit time from its log, a
 * table of files' latest change from its listing; never a data file. {@code null} where the metadata does not say.
 */
final class Freshness {
  private Freshness() {}

  static ObjectNode of(TableRef table) {
    TableDetails details;
    try {
      details = table.definition().details(table.catalog().context());
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.STORAGE_UNAVAILABLE, "cannot read the metadata of " + table.qualified()
          + " for its freshness: " + e.getMessage(), e);
    }
    ObjectNode out = HttpErrors.JSON.createObjectNode().put("table", table.qualified())
        .put("kind", table.definition().kind());
    if (details.version().isPresent()) {
      out.put("version", details.version().getAsLong());
    } else {
      out.putNull("version");
    }
    out.put("last_modified", details.lastModified().map(Object::toString).orElse(null));
    return out;
  }
}
