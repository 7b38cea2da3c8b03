package io.neuralake.bench;

import io.neuralake.sample.TpchData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** DuckDB on the same Parquet files with no catalog layer: the engine's bare speed. */
final class DuckDbSystem implements BenchSystem {
  private final Connection connection;
  private final BenchConfig config;

  DuckDbSystem(BenchConfig config) throws Exception {
    this.config = config;
    this.connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = connection.createStatement()) {
      if (config.threads() > 0) {
        s.execute("SET threads = " + config.threads());
      }
      for (String t : TpchData.tableNames()) {
        // for Delta: the same data files (the benchmark's tables are written once, nothing removed)
        String files = config.delta() ? "/**/*.parquet" : "/*.parquet";
        s.execute("CREATE VIEW " + t + " AS SELECT * FROM read_parquet('" + config.dataDir().resolve(t) + files + "')");
      }
    }
  }

  @Override
  public List<List<String>> run(String query) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(TpchQueries.sql(query, config.scaleFactor()))) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(Answer.cell(rs.getObject(i)));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
