package io.neuralake.server.internal.http;

import io.neuralake.spi.Values;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Rows as RFC 4180 CSV with a header line; a null is an empty field. */
final class CsvEncoder implements ResultEncoder {
  @Override
  public void write(ArrowReader reader, Progress out) throws IOException {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    List<FieldVector> header = root.getFieldVectors();
    for (int c = 0; c < header.size(); c++) {
      w.write(c == 0 ? "" : ",");
      w.write(quoted(header.get(c).getName()));
    }
    w.write("\r\n");
    while (reader.loadNextBatch()) {
      List<FieldVector> vectors = root.getFieldVectors();
      int rows = root.getRowCount();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < vectors.size(); c++) {
          if (c > 0) {
            w.write(',');
          }
          w.write(quoted(Cells.text(Values.arrowValue(vectors.get(c), r))));
        }
        w.write("\r\n");
      }
      w.flush();
      out.batch(rows);
    }
    w.flush();
    out.finish();
  }

  static String quoted(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
