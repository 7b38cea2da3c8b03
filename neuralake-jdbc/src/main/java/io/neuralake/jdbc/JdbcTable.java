package io.neuralake.jdbc;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filters;
import io.neuralake.jdbc.internal.DeclaredColumns;
import io.neuralake.jdbc.internal.JdbcPools;
import io.neuralake.jdbc.internal.JdbcReaders;
import io.neuralake.jdbc.internal.RangeQueries;
import io.neuralake.jdbc.internal.RangeReads;
import io.neuralake.jdbc.internal.RangeSplit;
import io.neuralake.jdbc.internal.RangeSource;
import io.neuralake.jdbc.internal.RemoteColumn;
import io.neuralake.jdbc.internal.RemoteQuery;
import io.neuralake.jdbc.internal.RemoteTypes;
import io.neuralake.jdbc.internal.ResultSetReader;
import io.neuralake.spi.Messages;
import io.neuralake.table.LakeContext;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.ScanPlan;
import io.neuralake.table.TableBuilder;
import io.neuralake.table.TableDefinition;
import io.neuralake.table.TableMetadata;
import io.neuralake.types.Schema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A table in a relational database (PostgreSQL, or another in its {@link JdbcDialect}), read
 * through JDBC: a table or view, or a fixed query. Its schema comes from the database's metadata
 * without reading rows; a read sends one query with the read's columns and the filters the
 * database can apply with the engine's meaning
 * (as {@code ?} parameters), and its rows stream into the engine as Arrow batches. The engine
 * applies every filter again, so a filter left out only costs rows. Connections come from a pool
 * owned by the catalog's {@link io.neuralake.runtime.LakeRuntime}.
 *
 * <pre>{@code
 * JdbcTable.builder("patients", "jdbc:postgresql://db:5432/clinic")
 *     .query("public.patients")
 *     .credentials(JdbcCredentials.fromEnvironment("CLINIC_"))
 *     .description("Patient registry (PostgreSQL).")
 *     .build();
 * }</pre>
 */
public final class JdbcTable implements TableDefinition {
  /** Rows per fetch from the database and per Arrow batch, unless set. */
  public static final int DEFAULT_FETCH_SIZE = 10_000;
  /** How long a read waits for the database's first rows, unless set. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(5);
  /** How long a read waits for a connection, unless set. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The most ranges a parallel read may have (each holds a connection while it reads). */
  public static final int MAX_PARTITIONS = 64;

  private final String name;
  private final String url;
  private final String from;
  private final String source;
  private final JdbcCredentials credentials;
  private final JdbcDialect dialect;
  private final int fetchSize;
  private final Duration connectTimeout;
  private final Duration queryTimeout;
  private final boolean copy;
  private final TableMetadata metadata;
  private final String partitionColumn;
  private final int partitions;
  private final Schema declared;
  /** The one range this copy reads (see {@link #range}), or null: the whole table, in parallel if declared so. */
  private final Range only;

  /**
   * A share of a read of the table by its partition column's values, for engines that read the shares
   * on their own workers (Spark's executors, through the connector): the rows with
   * {@code from <= column < until}. {@code from} null also takes every row below {@code until} and the
   * column's NULLs; {@code until} null every row from {@code from} up; both null, the whole table. The
   * values are of the column's Java type ({@code Long}, {@code LocalDate}, {@code LocalDateTime},
   * {@code OffsetDateTime}).
   */
  public record Range(Object from, Object until) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The whole table. */
    public static final Range ALL = new Range(null, null);

    public boolean isAll() {
      return from == null && until == null;
    }
  }

  private JdbcTable(Builder b) {
    this.name = b.name();
    this.url = b.url;
    this.source = b.table != null ? b.table : b.sql;
    this.dialect = b.dialect != null ? b.dialect : JdbcDialect.forUrl(b.url);
    this.from = b.table != null ? RemoteQuery.tableSource(dialect, b.table) : RemoteQuery.querySource(b.sql);
    this.credentials = b.credentials;
    this.fetchSize = b.fetchSize;
    this.connectTimeout = b.connectTimeout;
    this.queryTimeout = b.queryTimeout;
    this.copy = b.copy;
    this.metadata = b.metadata();
    this.partitionColumn = b.partitionColumn;
    this.partitions = b.partitions;
    this.declared = b.schema;
    this.only = null;
  }

  private JdbcTable(JdbcTable t, Range only) {
    this.name = t.name;
    this.url = t.url;
    this.source = t.source;
    this.dialect = t.dialect;
    this.from = t.from;
    this.credentials = t.credentials;
    this.fetchSize = t.fetchSize;
    this.connectTimeout = t.connectTimeout;
    this.queryTimeout = t.queryTimeout;
    this.copy = t.copy;
    this.metadata = t.metadata;
    this.partitionColumn = t.partitionColumn;
    this.partitions = t.partitions;
    this.declared = t.declared;
    this.only = only;
  }

  /** A table named {@code name} in the catalog, in the database at {@code jdbcUrl} (no credentials in it). */
  public static Builder builder(String name, String jdbcUrl) {
    return new Builder(name, jdbcUrl);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "jdbc";
  }

  @Override
  public TableMetadata metadata() {
    return metadata;
  }

  /** The database URL and what is read there (a table or view name, or the fixed query). */
  @Override
  public String location() {
    return url + " " + source;
  }

  @Override
  public Optional<Schema> declaredSchema() {
    return Optional.ofNullable(declared);
  }

  /** The declared schema, else the columns the database describes for the query, without running it. */
  @Override
  public Schema schema(LakeContext context) {
    return declared != null ? declared : ResultSetReader.schemaOf(columns(context));
  }

  /** The columns a read may ask for: the database's, checked against the declared schema and the partition column. */
  private List<RemoteColumn> columns(LakeContext context) {
    List<RemoteColumn> columns = declared == null ? describe(context)
        : DeclaredColumns.check(name, declared, describe(context));
    if (partitionColumn != null) {
      RangeReads.column(dialect, name, partitionColumn, columns);
    }
    return columns;
  }

  private List<RemoteColumn> describe(LakeContext context) {
    try (Connection c = connect(context);
        PreparedStatement st = c.prepareStatement("SELECT * FROM " + from)) {
      ResultSetMetaData meta = st.getMetaData();
      if (meta == null) {
        throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "table " + name + ": the database at "
            + JdbcPools.hostPort(url) + " does not describe a query without running it");
      }
      return RemoteTypes.columns(name, meta);
    } catch (SQLException e) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "table " + name + ": the database at "
          + JdbcPools.hostPort(url) + " cannot describe " + source + ": " + Messages.firstLine(e.getMessage())
          + "; check that it exists and that user '" + credentials.user() + "' may read it", e);
    }
  }

  private Connection connect(LakeContext context) {
    return JdbcPools.of(context.runtime()).connect("table " + name, url, credentials.user(), credentials.password(),
        credentials.source(), connectTimeout, partitionColumn == null ? 1 : partitions);
  }

  @Override
  public ScanPlan plan(ReadOptions options, Filters pruning, LakeContext context) {
    requireCurrent(options);
    List<RemoteColumn> all = columns(context);
    Filters filters = options.filters().and(pruning);
    return read(context, all, filters, options.columns(), OptionalLong.empty());
  }

  private void requireCurrent(ReadOptions options) {
    if (options.version().isPresent() || options.timestamp().isPresent()) {
      throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "table " + name + " has no versions: a relational"
          + " table reads the database's current rows; read it without a version or timestamp");
    }
  }

  /**
   * The ranges a read with {@code options}' filters splits into, for engines that read them on their own
   * workers, each through {@link #range}: up to the declared number of ranges of the partition column
   * between its minimum and maximum under the filters (found by one query now), so every row matching
   * them is in exactly one range; {@link Range#ALL} alone when the table declares no partition column
   * or the column has fewer distinct values than ranges can split.
   */
  public List<Range> ranges(ReadOptions options, LakeContext context) {
    requireCurrent(options);
    Filters filters = options.filters();
    if (partitionColumn == null) {
      return List.of(Range.ALL);
    }
    List<RemoteColumn> all = columns(context);
    RemoteColumn column = RangeReads.column(dialect, name, partitionColumn, all);
    RemoteQuery span = RemoteQuery.render(dialect, name, from, all, List.of(column.name()), filters,
        OptionalLong.empty());
    List<Object> bounds = RangeReads.bounds(rangeSource(context), span, column, partitions);
    List<Range> out = new ArrayList<>(bounds.size() + 1);
    for (int i = 0; i <= bounds.size(); i++) {
      out.add(bounds.isEmpty() ? Range.ALL
          : new Range(i > 0 ? bounds.get(i - 1) : null, i < bounds.size() ? bounds.get(i) : null));
    }
    return out;
  }

  /**
   * This table as it reads one of its {@link #ranges}: every read (with any filters and columns) by
   * one query on one connection, of that range's rows only.
   */
  public JdbcTable range(Range range) {
    requireNonNull(range, "range");
    if (partitionColumn == null && !range.isAll()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "table " + name + " has no partition column to read"
          + " the range " + range + " of; declare one with .partitionColumn(...), or read Range.ALL");
    }
    return new JdbcTable(this, range);
  }

  /**
   * A plan reading {@code columns} (empty: all) of the rows that match {@code filters}, only {@code limit} of
   * them if given; the engine may narrow it to the columns and rows a query uses. A limited read is one query:
   * the limit of a subquery that each range would filter picks its rows anew every time.
   */
  private ScanPlan.OfArrow read(LakeContext context, List<RemoteColumn> all, Filters filters, List<String> columns,
      OptionalLong limit) {
    if (only != null) {
      return readRange(context, all, filters, columns, limit);
    }
    RemoteColumn range = partitionColumn == null || limit.isPresent() ? null
        : RangeReads.column(dialect, name, partitionColumn, all);
    List<String> wanted = range == null ? columns : withRangeColumn(columns, range);
    RemoteQuery query = RemoteQuery.render(dialect, name, from, all, wanted, filters, limit);
    List<RemoteColumn> output = wanted.size() == columns.size() ? query.columns()
        : RemoteQuery.render(dialect, name, from, all, columns, filters, limit).columns();
    // the bounds need only the range column (and the filters' columns)
    RemoteQuery span = range == null ? null
        : RemoteQuery.render(dialect, name, from, all, List.of(range.name()), filters, OptionalLong.empty());
    String notes = query.describe() + "; " + JdbcReaders.describe(copy, query)
        + (range == null ? "" : RangeReads.notes(dialect, range, partitions));
    RangeSource source = rangeSource(context);
    return new ScanPlan.OfArrow(DeclaredColumns.schema(declared, output), () -> range != null
        ? RangeReads.open(context.engine().allocator(), source, span, query, range, partitions, output)
        : source.open(connect(context), query), ScanPlan.ScanStats.of(notes),
        narrowing -> read(context, all, filters, narrowing.columns(), narrowing.limit()));
  }

  /**
   * The read of the one range of this copy, by one query: the read's query as a subquery under the
   * range's condition. The limit then stays with the engine, as a limited subquery would pick its rows
   * before the condition.
   */
  private ScanPlan.OfArrow readRange(LakeContext context, List<RemoteColumn> all, Filters filters,
      List<String> columns, OptionalLong limit) {
    RemoteQuery query;
    if (only.isAll()) {
      query = RemoteQuery.render(dialect, name, from, all, columns, filters, limit);
    } else {
      RemoteColumn range = RangeReads.column(dialect, name, partitionColumn, all);
      List<String> wanted = withRangeColumn(columns, range);
      List<RemoteColumn> output = RemoteQuery.render(dialect, name, from, all, columns, filters, OptionalLong.empty())
          .columns();
      query = RangeQueries.range(RemoteQuery.render(dialect, name, from, all, wanted, filters, OptionalLong.empty()),
          range, only.from(), only.until(), output);
    }
    RemoteQuery read = query;
    RangeSource source = rangeSource(context);
    return new ScanPlan.OfArrow(DeclaredColumns.schema(declared, read.columns()), () -> source.open(connect(context),
        read), ScanPlan.ScanStats.of(read.describe() + "; " + JdbcReaders.describe(copy, read)),
        narrowing -> readRange(context, all, filters, narrowing.columns(), narrowing.limit()));
  }

  /**
   * The columns a range read asks the database for: the read's, plus the range column its conditions
   * need (not returned); none stays none, which reads every column.
   */
  private static List<String> withRangeColumn(List<String> columns, RemoteColumn range) {
    if (columns.isEmpty() || columns.contains(range.name())) {
      return columns;
    }
    List<String> wanted = new ArrayList<>(columns);
    wanted.add(range.name());
    return wanted;
  }

  /** How reads connect, run a query into Arrow batches and word a failed query. */
  private RangeSource rangeSource(LakeContext context) {
    return new RangeSource() {
      @Override
      public String table() {
        return name;
      }

      @Override
      public Connection connect() {
        return JdbcTable.this.connect(context);
      }

      @Override
      public ArrowReader open(Connection c, RemoteQuery query) {
        try {
          return JdbcReaders.open(context.engine().allocator(), name, copy, c, query, fetchSize, queryTimeout);
        } catch (SQLException e) {
          throw failed(e);
        }
      }

      @Override
      public Duration queryTimeout() {
        return queryTimeout;
      }

      @Override
      public NeuralakeException failed(SQLException e) {
        boolean timedOut = "57014".equals(e.getSQLState()); // query_canceled: by the driver's timer
        return new NeuralakeException(timedOut ? ErrorCode.TIME_LIMIT : ErrorCode.STORAGE_UNAVAILABLE, "table " + name
            + ": the query at " + JdbcPools.hostPort(url) + " failed: " + Messages.firstLine(e.getMessage())
            + (timedOut ? "; it had no first rows within the query timeout of " + queryTimeout.toMillis()
                + " ms: raise .queryTimeout(...), or narrow the read with filters" : ""), e);
      }
    };
  }

  @Override
  public String toString() {
    return "JdbcTable[" + name + ", " + url + ", " + credentials + "]";
  }

  public static final class Builder extends TableBuilder<Builder> {
    private final String url;
    private String table;
    private String sql;
    private JdbcCredentials credentials;
    private JdbcDialect dialect;
    private int fetchSize = DEFAULT_FETCH_SIZE;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
    // COPY by default: in `neuralake bench jdbc` (10 M rows of 8 columns, 2 cores) a frame read by COPY ran at
    // 3.0x the cursor reader (639k vs 210k rows/s) and 1.06x psql \copy, a read with a pushed filter at 2.3x
    // (482k vs 209k rows/s of 2.5 M rows); the cursor stays for what COPY's reader cannot do exactly: types
    // without a binary decoder (arrays, enums, domains, extension types) and filter values without a literal form
    private boolean copy = true;
    private String partitionColumn;
    private int partitions;
    private Schema schema;

    private Builder(String name, String url) {
      super(name);
      this.url = requireNonNull(url, "jdbcUrl");
      if (!url.startsWith("jdbc:")) {
        throw invalid("its URL must start with jdbc: (e.g. jdbc:postgresql://host:5432/database)");
      }
      String lower = url.toLowerCase(Locale.ROOT);
      if (lower.contains("password=") || lower.contains("user=") || lower.matches("jdbc:[a-z0-9]+://[^/]*@.*")) {
        throw invalid("its URL holds credentials; keep them out of source: use"
            + " .credentials(JdbcCredentials.fromEnvironment(\"PREFIX_\"))");
      }
    }

    private NeuralakeException invalid(String what) {
      return new NeuralakeException(ErrorCode.INVALID_DEFINITION, "relational table '" + name + "': " + what);
    }

    /** Reads a table or view: {@code "patients"} or {@code "public.patients"} (each part is quoted as given). */
    public Builder query(String tableOrView) {
      this.table = requireNonNull(tableOrView, "tableOrView");
      return this;
    }

    /** Reads a fixed {@code SELECT}, to which reads add their columns and filters around it. */
    public Builder sql(String select) {
      this.sql = requireNonNull(select, "select").strip();
      return this;
    }

    /** Who the table logs in as (required). */
    public Builder credentials(JdbcCredentials credentials) {
      this.credentials = requireNonNull(credentials, "credentials");
      return this;
    }

    /** How the remote query is written (default: {@link JdbcDialect#forUrl} of the URL). */
    public Builder dialect(JdbcDialect dialect) {
      this.dialect = requireNonNull(dialect, "dialect");
      return this;
    }

    /** Rows per fetch and per Arrow batch (default {@value #DEFAULT_FETCH_SIZE}). */
    public Builder fetchSize(int rows) {
      if (rows < 1) {
        throw invalid("the fetch size must be at least 1, got " + rows);
      }
      this.fetchSize = rows;
      return this;
    }

    /** How long a read waits for a connection before failing (default 10 seconds). */
    public Builder connectTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw invalid("the connect timeout must be positive, got " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * How long a read waits for the database's first rows (the query's planning and, for sorts and
     * aggregates in a {@code .sql(...)} query, its work) before it is cancelled (default 5 minutes;
     * whole seconds, at least one). Rows then stream without a time bound: the engine's own query
     * limits cancel a read that runs too long.
     */
    public Builder queryTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.toSeconds() < 1) {
        throw invalid("the query timeout must be at least one second, got " + timeout);
      }
      this.queryTimeout = timeout;
      return this;
    }

    /**
     * Whether PostgreSQL reads may use {@code COPY ... TO STDOUT (FORMAT binary)} (default true): a read
     * whose columns all have a binary decoder streams that way, decoded straight into Arrow; others use
     * the fetch-size cursor. Turn it off for a server that speaks PostgreSQL's protocol without binary COPY.
     */
    public Builder copy(boolean allowed) {
      this.copy = allowed;
      return this;
    }

    /**
     * Reads in parallel by {@code partitions} ranges of {@code column} (an integer, date or timestamp
     * column): when a read runs, one query finds the column's minimum and maximum under the read's
     * filters, and each range is read by its own query on its own pooled connection (the first range
     * also reads the column's NULLs). At most {@value #MAX_PARTITIONS} ranges.
     */
    public Builder partitionColumn(String column, int partitions) {
      requireNonNull(column, "column");
      if (column.isBlank()) {
        throw invalid("its partition column is blank");
      }
      if (partitions < 2 || partitions > MAX_PARTITIONS) {
        throw invalid("partitionColumn(\"" + column + "\", " + partitions + "): the number of ranges must be from 2"
            + " to " + MAX_PARTITIONS);
      }
      this.partitionColumn = column;
      this.partitions = partitions;
      return this;
    }

    /**
     * Declares the schema, the contract: reads return these columns with these types (the engine
     * casts the database's values), the database's other columns are not read, and {@code describe}
     * needs no connection. A declared column the database lacks, or whose type cannot be read as the
     * declared one without loss, fails the read with both types named.
     */
    public Builder schema(Schema schema) {
      this.schema = requireNonNull(schema, "schema");
      return this;
    }

    public JdbcTable build() {
      if ((table == null) == (sql == null)) {
        throw invalid("give either .query(\"schema.table\") or .sql(\"SELECT ...\"), "
            + (table == null ? "neither was given" : "not both"));
      }
      if (sql != null && sql.endsWith(";")) {
        throw invalid("its .sql(...) query must be one statement without a trailing ';'");
      }
      if (credentials == null) {
        throw invalid("it needs credentials: .credentials(JdbcCredentials.fromEnvironment(\"PREFIX_\")) reads"
            + " PREFIX_USER and PREFIX_PASSWORD");
      }
      if (partitionColumn != null && schema != null && !schema.contains(partitionColumn)) {
        throw invalid("its partition column '" + partitionColumn + "' is not in its declared schema ("
            + String.join(", ", schema.names()) + ")");
      }
      if (partitionColumn != null && schema != null && !RangeSplit.splittable(schema.field(partitionColumn).type())) {
        throw invalid("its partition column '" + partitionColumn + "' is declared as "
            + schema.field(partitionColumn).type().typeName() + "; ranges split integers, dates and timestamps");
      }
      return new JdbcTable(this);
    }
  }
}
