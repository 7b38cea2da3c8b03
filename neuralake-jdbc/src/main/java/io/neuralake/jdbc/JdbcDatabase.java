package io.neuralake.jdbc;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.DynamicDatabase;
import io.neuralake.jdbc.internal.JdbcPools;
import io.neuralake.spi.Messages;
import io.neuralake.table.LakeContext;
import io.neuralake.table.TableDefinition;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole schema of a relational database as a database of the catalog: its tables and views are
 * listed from the database's metadata each time the catalog's tables are asked for (no row is
 * read), so a table created or dropped remotely is seen without rebuilding the catalog. Each is a
 * {@link JdbcTable} reading {@code schema.table}, described by its {@code COMMENT}.
 *
 * <pre>{@code
 * Catalog.builder("lake")
 *     .database("tpch", Tpch.class)
 *     .database(JdbcDatabase.of("clinic", "jdbc:postgresql://db:5432/clinic",
 *         JdbcCredentials.fromEnvironment("CLINIC_"), "public"))
 *     .build();
 * }</pre>
 *
 * <p>A database class may also hold one as a public static field: its tables then join the
 * class's declared ones, which win over a listed table of the same name. Remote tables whose names
 * are not catalog table names (letters, digits, underscores) are left out; declare those with
 * {@link JdbcTable.Builder#query}.
 */
public final class JdbcDatabase implements DynamicDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcDatabase.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** What the catalog shows: tables and the kinds of view PostgreSQL's driver reports. */
  private static final String[] KINDS = {"TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "PARTITIONED TABLE"};

  private final String name;
  private final String url;
  private final JdbcCredentials credentials;
  private final String schema;
  private final String description;

  private JdbcDatabase(String name, String url, JdbcCredentials credentials, String schema, String description) {
    this.name = requireNonNull(name, "name");
    this.url = requireNonNull(url, "jdbcUrl");
    this.credentials = requireNonNull(credentials, "credentials");
    this.schema = requireNonNull(schema, "schema");
    this.description = requireNonNull(description, "description");
    // the table builder's checks of the URL (jdbc:, no credentials in it), made here rather than at the first listing
    JdbcTable.builder(name, url);
    if (schema.isBlank()) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          "relational database '" + name + "': the schema is blank; give one, e.g. \"public\"");
    }
  }

  /**
   * The tables and views of {@code schema} in the database at {@code jdbcUrl} (no credentials in
   * it), as the catalog's database {@code name}.
   */
  public static JdbcDatabase of(String name, String jdbcUrl, JdbcCredentials credentials, String schema) {
    return new JdbcDatabase(name, jdbcUrl, credentials, schema, "");
  }

  /** The same database with a description for the catalog's listings and site. */
  public JdbcDatabase description(String text) {
    return new JdbcDatabase(name, url, credentials, schema, text);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<TableDefinition> tables(LakeContext context) {
    List<TableDefinition> out = list(context, "%");
    if (out.isEmpty()) {
      requireSchema(context);
    }
    return out;
  }

  @Override
  public Optional<TableDefinition> table(String table, LakeContext context) {
    if (!TABLE_NAME.matcher(table).matches()) {
      return Optional.empty();
    }
    return list(context, table).stream().filter(t -> t.name().equals(table)).findFirst();
  }

  /** The tables whose names match a metadata pattern ({@code _} escaped: an exact name is looked up exactly). */
  private List<TableDefinition> list(LakeContext context, String pattern) {
    try (Connection c = connect(context)) {
      DatabaseMetaData meta = c.getMetaData();
      String escape = meta.getSearchStringEscape();
      String namePattern = pattern.equals("%") ? pattern : pattern.replace("_", escape + "_");
      List<TableDefinition> out = new ArrayList<>();
      try (ResultSet rs = meta.getTables(null, schema, namePattern, KINDS)) {
        while (rs.next()) {
          String table = rs.getString("TABLE_NAME");
          if (!TABLE_NAME.matcher(table).matches()) {
            LOG.debug("relational database {}: left out {}.{}: not a catalog table name", name, schema, table);
            continue;
          }
          String remarks = rs.getString("REMARKS");
          out.add(JdbcTable.builder(table, url).query(schema + "." + table).credentials(credentials)
              .description(remarks == null ? "" : remarks).build());
        }
      }
      return out;
    } catch (SQLException e) {
      throw new NeuralakeException(ErrorCode.STORAGE_UNAVAILABLE, "relational database " + name
          + ": cannot list the tables of schema " + schema + " at " + JdbcPools.hostPort(url) + ": "
          + Messages.firstLine(e.getMessage()) + "; check that user '" + credentials.user() + "' may read it", e);
    }
  }

  /** An empty listing of a schema that is not there is a mistake in the declaration: say so. */
  private void requireSchema(LakeContext context) {
    try (Connection c = connect(context); ResultSet rs = c.getMetaData().getSchemas(null, schema)) {
      if (!rs.next()) {
        throw new NeuralakeException(ErrorCode.DATABASE_NOT_FOUND, "relational database " + name + ": the database at "
            + JdbcPools.hostPort(url) + " has no schema '" + schema + "' that user '" + credentials.user()
            + "' can see; check the schema's name (its case too) in JdbcDatabase.of(...)");
      }
    } catch (SQLException e) {
      throw new NeuralakeException(ErrorCode.STORAGE_UNAVAILABLE, "relational database " + name
          + ": cannot list the schemas at " + JdbcPools.hostPort(url) + ": " + Messages.firstLine(e.getMessage()), e);
    }
  }

  private Connection connect(LakeContext context) {
    return JdbcPools.of(context.runtime()).connect("database " + name + " (schema " + schema + ")", url, credentials.user(),
        credentials.password(), credentials.source(), JdbcTable.DEFAULT_CONNECT_TIMEOUT);
  }

  @Override
  public String toString() {
    return "JdbcDatabase[" + name + ", " + url + " schema " + schema + ", " + credentials + "]";
  }
}
