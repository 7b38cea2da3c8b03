package io.neuralake.server.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.WriteOptions;
import io.neuralake.engine.EngineOptions;
import io.neuralake.frame.Frame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta table whose schema evolves (a writer adds a column) while clients stay connected: the
 * door's catalog relations and its result descriptions show the new column on the next query.
 */
class PgSchemaChangeTest {
  @TempDir
  static Path dir;
  static LakeRuntime served;
  static LakeRuntime writing;
  static DeltaTable writer;
  static Catalog writerCatalog;
  static NeuralakeServer server;

  @BeforeAll
  static void start() {
    Path lake = dir.resolve("lake").toAbsolutePath();
    Path cache = dir.resolve("cache").toAbsolutePath();
    // schema evolution needs column mapping; the served table declares no schema, so its log's is read
    writer = DeltaTable.builder("events", "events")
        .schema(Schema.of(Field.required("id", DataType.INT64), Field.of("region", DataType.STRING)))
        .property("delta.columnMapping.mode", "name").build();
    writing = LakeRuntime.builder().root(lake.toString()).cacheFolder(dir.resolve("writer-cache")).build();
    writerCatalog = Catalog.builder("writer").runtime(writing).database("app", writer).build();
    writer.create(writerCatalog.context());
    writer.append(Frame.fromRows(rows(0, 10, false))).context(writerCatalog.context()).commit();
    served = LakeRuntime.builder().root(lake.toString()).cacheFolder(cache)
        .engineOptions(EngineOptions.fromEnvironment().locked(lake, cache)).build();
    Catalog catalog = Catalog.builder("lake").runtime(served)
        .database("app", DeltaTable.builder("events", "events").build()).build();
    server = NeuralakeServer.builder(catalog).httpPort(0).flightPort(0).pgPort(NeuralakeServer.ANY_PORT).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    served.close();
    writing.close();
  }

  private static List<Map<String, Object>> rows(long from, long to, boolean withNote) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", i);
      r.put("region", "eu");
      if (withNote) {
        r.put("note", "n" + i);
      }
      out.add(r);
    }
    return out;
  }

  private static List<String> metadataColumns(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet r = c.getMetaData().getColumns(null, "app", "events", null)) {
      while (r.next()) {
        names.add(r.getString("COLUMN_NAME") + " " + r.getString("TYPE_NAME"));
      }
    }
    return names;
  }

  private static List<String> informationSchemaColumns(Statement s) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet r = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns"
        + " WHERE table_schema = 'app' AND table_name = 'events' ORDER BY ordinal_position")) {
      while (r.next()) {
        names.add(r.getString(1) + " " + r.getString(2));
      }
    }
    return names;
  }

  private static List<String> resultColumns(Statement s) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet r = s.executeQuery("SELECT * FROM app.events ORDER BY id DESC LIMIT 1")) {
      ResultSetMetaData md = r.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnName(i) + " " + md.getColumnTypeName(i));
      }
    }
    return names;
  }

  @Test
  void aColumnAddedByAWriterShowsOnTheNextQuery() throws Exception {
    try (Connection c = PgClients.jdbc(server, "lake", "reader", ""); Statement s = c.createStatement()) {
      assertThat(metadataColumns(c)).containsExactly("id int8", "region text");
      assertThat(informationSchemaColumns(s)).containsExactly("id bigint", "region text");
      assertThat(resultColumns(s)).containsExactly("id int8", "region text");

      writer.append(Frame.fromRows(rows(10, 20, true))).context(writerCatalog.context())
          .options(WriteOptions.builder().mergeSchema(true).build()).commit();

      assertThat(metadataColumns(c)).containsExactly("id int8", "region text", "note text");
      assertThat(informationSchemaColumns(s)).containsExactly("id bigint", "region text", "note text");
      assertThat(resultColumns(s)).containsExactly("id int8", "region text", "note text");
      try (ResultSet r = s.executeQuery("SELECT note FROM app.events WHERE id = 15")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("n15");
      }
    }
    if (PgClients.hasPsql()) { // psql's \d reads pg_attribute
      PgClients.Psql p = PgClients.psql(server, dir, Map.of(), "-U", "reader", "-d", "lake", "-c", "\\d app.events");
      assertThat(p.output()).as(p.output()).containsPattern("note\\s+\\|\\s+text");
    }
  }
}
