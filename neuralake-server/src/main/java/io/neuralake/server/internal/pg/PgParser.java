package io.neuralake.server.internal.pg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the select list of what clients send with the engine's own SQL parser
 * ({@code json_serialize_sql}), so that result columns are named as PostgreSQL names them
 * ({@link PgColumnNames}). It runs on an in-memory DuckDB database of the door's own that is given
 * nothing but the client's text as a parameter of that one function: it parses, and runs and reads
 * nothing (external access off, its configuration locked). Identifiers are folded to lower case
 * unless quoted, as PostgreSQL folds them. Select lists are remembered per text (bounded).
 */
final class PgParser implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgParser.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ENTRIES = 1024;
  /** Longer texts are parsed each time, not remembered: an entry should cost far less than a query. */
  private static final int MAX_REMEMBERED_TEXT = 64 * 1024;

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock(); // not synchronized: a virtual thread must not pin its carrier
  private final Map<String, Optional<List<PgColumnNames.Item>>> remembered = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<List<PgColumnNames.Item>>> eldest) {
          return size() > ENTRIES;
        }
      });

  PgParser() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = connection.createStatement()) {
      s.execute("SET threads = 1");
      s.execute("SET memory_limit = '64MB'");
      s.execute("SET preserve_identifier_case = false");
      s.execute("SET enable_external_access = false");
      s.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  /** The select list of {@code sql}, or empty when it is not one SELECT the parser reads. */
  Optional<List<PgColumnNames.Item>> selectList(String sql) {
    if (sql.length() > MAX_REMEMBERED_TEXT) {
      return parse(sql);
    }
    Optional<List<PgColumnNames.Item>> known = remembered.get(sql);
    if (known == null) {
      known = parse(sql);
      remembered.put(sql, known);
    }
    return known;
  }

  private Optional<List<PgColumnNames.Item>> parse(String sql) {
    String tree;
    lock.lock();
    try (PreparedStatement ps = connection.prepareStatement("SELECT json_serialize_sql(?)")) {
      ps.setString(1, sql);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        tree = rs.getString(1);
      }
    } catch (SQLException e) {
      LOG.debug("parsing a statement for its column names: {}", e.getMessage());
      return Optional.empty();
    } finally {
      lock.unlock();
    }
    try {
      return PgColumnNames.items(JSON.readTree(tree), sql);
    } catch (JsonProcessingException e) {
      LOG.debug("the parser's tree is not JSON: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** The names of a result whose engine names are {@code engine}, for the statement the client wrote. */
  List<String> columnNames(String sql, List<String> engine) {
    return selectList(sql).map(items -> PgColumnNames.apply(items, engine)).orElse(engine);
  }

  @Override
  public void close() {
    lock.lock(); // not while a parse runs on it
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the door's SQL parser: {}", e.getMessage());
    } finally {
      lock.unlock();
    }
  }
}
