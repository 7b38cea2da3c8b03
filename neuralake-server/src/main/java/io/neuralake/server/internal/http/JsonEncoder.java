package io.neuralake.server.internal.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.neuralake.spi.Values;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Rows as JSON objects: one array of records (ROAPI's default), or one object a line (NDJSON). */
final class JsonEncoder implements ResultEncoder {
  private final boolean lines;

  JsonEncoder(boolean lines) {
    this.lines = lines;
  }

  @Override
  public void write(ArrowReader reader, Progress out) throws IOException {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    try (JsonGenerator g = HttpErrors.JSON.getFactory().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
      if (lines) {
        g.setRootValueSeparator(null);
      } else {
        g.writeStartArray();
      }
      while (reader.loadNextBatch()) {
        List<FieldVector> vectors = root.getFieldVectors();
        int rows = root.getRowCount();
        for (int r = 0; r < rows; r++) {
          g.writeStartObject();
          for (FieldVector v : vectors) {
            g.writeFieldName(v.getName());
            Cells.json(g, Values.arrowValue(v, r));
          }
          g.writeEndObject();
          if (lines) {
            g.writeRaw('\n');
          }
        }
        g.flush();
        out.batch(rows);
      }
      if (!lines) {
        g.writeEndArray();
      }
    }
    out.finish();
  }
}
