package io.neuralake.server.internal.flight;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.QueryService;
import io.neuralake.server.internal.ServerContext;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.BasicFlightSqlProducer;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Flight SQL over the catalog: statements, prepared statements with {@code ?} parameters and
 * catalog metadata, each call as the user it authenticated as, every query through
 * {@link QueryService}. A prepared statement's handle is its SQL (with bound values as literals).
 * GetFlightInfo plans the query and holds it for the DoGet of its ticket ({@link HeldQueries}), so
 * a statement is planned once; the ticket also carries the SQL ({@link StatementTicket}), so any
 * replica can serve the DoGet, and a ticket can only run SQL the caller could have sent anyway.
 */
final class LakeSqlProducer extends BasicFlightSqlProducer {

  /** How long a ticket from GetFlightInfo may be fetched (and fetched again: it says so in its endpoint). */
  static final Duration TICKET_LIFETIME = Duration.ofMinutes(10);

  private final ServerContext server;
  private final FlightAuth auth;
  private final BufferAllocator allocator;
  private final ResultStreamer streamer;
  private final SqlInfoBuilder sqlInfo;
  private final HeldQueries held;
  private final PreparedPlans prepared;
  /** Queries streaming now, by the id of the ticket they run for: what CancelFlightInfo cancels. */
  private final Map<String, Streaming> streaming = new ConcurrentHashMap<>();
  private final Clock clock;

  private record Streaming(Principal who, Query query) {}

  LakeSqlProducer(ServerContext server, FlightAuth auth, BufferAllocator allocator, Set<Query> running,
      AtomicBoolean stopping, HeldQueries held, Clock clock) {
    this.server = server;
    this.auth = auth;
    this.allocator = allocator;
    this.streamer = new ResultStreamer(server, allocator, running, stopping);
    this.sqlInfo = ServerInfo.of();
    this.held = held;
    this.prepared = new PreparedPlans(held, clock);
    this.clock = clock;
  }

  // statements

  @Override
  public FlightInfo getFlightInfoStatement(CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return call(() -> planned(who(context), command.getQuery(), descriptor));
  }

  @Override
  public SchemaResult getSchemaStatement(CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return call(() -> new SchemaResult(resultSchema(who(context), command.getQuery())));
  }

  /**
   * Runs a ticket from GetFlightInfo: the query held for it, else its SQL planned again (held by
   * another replica, let go, or fetched before). A handle that is plain SQL runs as a statement.
   */
  @Override
  public void getStreamStatement(TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
    Principal who;
    Optional<StatementTicket> handle;
    Query query;
    String sql;
    try {
      who = who(context);
      handle = StatementTicket.decode(ticket.getStatementHandle().toByteArray());
      sql = handle.map(StatementTicket::sql).orElseGet(() -> ticket.getStatementHandle().toStringUtf8());
      Optional<Query> heldQuery = handle.isEmpty() ? Optional.empty() : take(handle.get(), who);
      query = heldQuery.isPresent() ? heldQuery.get() : server.queries().prepare(who, sql);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
      return;
    }
    // while it streams, CancelFlightInfo finds the query by its ticket's id
    Streaming streaming = new Streaming(who, query);
    String id = handle.map(StatementTicket::id).orElse("");
    if (!id.isEmpty()) {
      this.streaming.put(id, streaming);
    }
    try {
      streamer.stream(who, sql, query, listener);
    } finally {
      this.streaming.remove(id, streaming);
    }
  }

  /**
   * Flight SQL's cancel: a query held for a ticket of the flight is let go, one streaming is
   * cancelled (its stream ends with CANCELLED). Only the user the tickets were issued to may cancel.
   */
  @Override
  public void cancelFlightInfo(CancelFlightInfoRequest request, CallContext context,
      StreamListener<CancelStatus> listener) {
    try {
      Principal who = who(context);
      boolean cancelled = false;
      for (FlightEndpoint endpoint : request.getInfo().getEndpoints()) {
        Optional<StatementTicket> ticket = statementTicket(endpoint.getTicket());
        if (ticket.isEmpty()) {
          continue;
        }
        if (!ticket.get().user().equals(who.name())) {
          throw HeldQueries.notYours();
        }
        Optional<Query> notFetched = held.take(ticket.get().id(), who);
        notFetched.ifPresent(Query::close);
        Streaming running = streaming.get(ticket.get().id());
        if (running != null) {
          if (!running.who().equals(who)) {
            throw HeldQueries.notYours();
          }
          running.query().cancel();
        }
        cancelled |= notFetched.isPresent() || running != null;
      }
      // nothing held or running here: it finished, was never fetched in time, or runs on another replica
      listener.onNext(cancelled ? CancelStatus.CANCELLED : CancelStatus.NOT_CANCELLABLE);
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  /** The statement ticket in a Flight ticket, if it is one this server wrote. */
  private static Optional<StatementTicket> statementTicket(Ticket ticket) {
    try {
      Any any = Any.parseFrom(ticket.getBytes());
      if (!any.is(TicketStatementQuery.class)) {
        return Optional.empty();
      }
      return StatementTicket.decode(any.unpack(TicketStatementQuery.class).getStatementHandle().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /** Plans the SQL for {@code who} and holds the query for the ticket it returns. */
  private FlightInfo planned(Principal who, String sql, FlightDescriptor descriptor) {
    return planned(who, sql, descriptor, Optional.empty());
  }

  /** As {@link #planned(Principal, String, FlightDescriptor)}, with the query if it is planned already. */
  private FlightInfo planned(Principal who, String sql, FlightDescriptor descriptor, Optional<Query> plannedAlready) {
    Query query = plannedAlready.isPresent() ? plannedAlready.get() : server.queries().prepare(who, sql);
    org.apache.arrow.vector.types.pojo.Schema schema;
    try {
      schema = ArrowSchemas.of(query.schema(), allocator);
    } catch (RuntimeException e) {
      query.close();
      throw e;
    }
    Instant expires = clock.instant().plus(TICKET_LIFETIME);
    String id = held.hold(who, query).orElse("");
    Ticket ticket = new Ticket(Any.pack(TicketStatementQuery.newBuilder()
        .setStatementHandle(ByteString.copyFrom(new StatementTicket(id, who.name(), expires, sql).encode()))
        .build()).toByteArray());
    return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(ticket, expires)), -1, -1);
  }

  /** The query held for a ticket, if this server still holds it; refuses tickets of another user or past their time. */
  private Optional<Query> take(StatementTicket ticket, Principal who) {
    if (!ticket.user().equals(who.name())) {
      throw HeldQueries.notYours();
    }
    if (!ticket.expires().isAfter(clock.instant())) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the ticket expired at " + ticket.expires()
          + " (tickets are good for " + TICKET_LIFETIME.toMinutes() + " minutes): execute the statement again"
          + " (GetFlightInfo) for a new one");
    }
    return held.take(ticket.id(), who);
  }

  // prepared statements

  @Override
  public void createPreparedStatement(ActionCreatePreparedStatementRequest request, CallContext context,
      StreamListener<Result> listener) {
    try {
      Principal who = who(context);
      String sql = request.getQuery();
      List<Optional<DataType>> types = parameterTypes(who, sql);
      org.apache.arrow.vector.types.pojo.Schema dataset;
      if (types.isEmpty()) {
        // planned once: the plan that gives the result's schema runs the execution that follows
        Query query = server.queries().prepare(who, sql);
        try {
          dataset = ArrowSchemas.of(query.schema(), allocator);
        } catch (RuntimeException e) {
          query.close();
          throw e;
        }
        prepared.keep(who, sql, query);
      } else {
        dataset = unboundSchema(who, sql, types);
      }
      FlightSql.ActionCreatePreparedStatementResult result = FlightSql.ActionCreatePreparedStatementResult.newBuilder()
          .setPreparedStatementHandle(ByteString.copyFromUtf8(sql))
          .setDatasetSchema(ByteString.copyFrom(ArrowSchemas.serialize(dataset)))
          .setParameterSchema(ByteString.copyFrom(ArrowSchemas.serialize(parameterSchema(types))))
          .build();
      listener.onNext(new Result(Any.pack(result).toByteArray()));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  @Override
  public void closePreparedStatement(ActionClosePreparedStatementRequest request, CallContext context,
      StreamListener<Result> listener) {
    try {
      prepared.drop(who(context), request.getPreparedStatementHandle().toStringUtf8());
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  @Override
  public Runnable acceptPutPreparedStatementQuery(CommandPreparedStatementQuery command, CallContext context,
      FlightStream values, StreamListener<PutResult> ack) {
    return () -> {
      try {
        who(context);
        String sql = command.getPreparedStatementHandle().toStringUtf8();
        String bound = null;
        while (values.next()) {
          VectorSchemaRoot root = values.getRoot();
          if (root.getRowCount() == 0) {
            continue;
          }
          if (bound != null || root.getRowCount() > 1) {
            throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "a query binds one set of parameter values;"
                + " more than one row of values was sent: execute the statement once per set");
          }
          bound = Parameters.bind(sql, root, 0);
        }
        String handle = bound == null ? sql : bound;
        FlightSql.DoPutPreparedStatementResult result = FlightSql.DoPutPreparedStatementResult.newBuilder()
            .setPreparedStatementHandle(ByteString.copyFromUtf8(handle)).build();
        byte[] bytes = result.toByteArray();
        try (ArrowBuf buf = allocator.buffer(bytes.length)) {
          buf.writeBytes(bytes);
          ack.onNext(PutResult.metadata(buf));
        }
        ack.onCompleted();
      } catch (RuntimeException e) {
        ack.onError(FlightErrors.of(e));
      }
    };
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(CommandPreparedStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return call(() -> {
      Principal who = who(context);
      String sql = requireBound(command.getPreparedStatementHandle().toStringUtf8());
      return planned(who, sql, descriptor, prepared.take(who, sql));
    });
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(CommandPreparedStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return call(() -> {
      Principal who = who(context);
      String sql = command.getPreparedStatementHandle().toStringUtf8();
      return new SchemaResult(unboundSchema(who, sql, parameterTypes(who, sql)));
    });
  }

  @Override
  public void getStreamPreparedStatement(CommandPreparedStatementQuery command, CallContext context,
      ServerStreamListener listener) {
    String sql = command.getPreparedStatementHandle().toStringUtf8();
    try {
      requireBound(sql);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
      return;
    }
    stream(context, sql, listener);
  }

  private static String requireBound(String sql) {
    int parameters = Parameters.placeholders(sql).size();
    if (parameters > 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "the statement has " + parameters + " parameters (?)"
          + " and no values were bound: bind a value to each before executing it");
    }
    return sql;
  }

  /** A descriptor that is not a Flight SQL command (a path, bytes of something else) is the caller's mistake. */
  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    requireCommand(descriptor);
    return super.getFlightInfo(context, descriptor);
  }

  @Override
  public SchemaResult getSchema(CallContext context, FlightDescriptor descriptor) {
    requireCommand(descriptor);
    return super.getSchema(context, descriptor);
  }

  private static void requireCommand(FlightDescriptor descriptor) {
    boolean command = descriptor.isCommand();
    if (command) {
      try {
        Any.parseFrom(descriptor.getCommand());
      } catch (InvalidProtocolBufferException e) {
        command = false;
      }
    }
    if (!command) {
      throw CallStatus.INVALID_ARGUMENT.withDescription("this is a Flight SQL server: describe a flight with a Flight"
          + " SQL command (a statement, a prepared statement or a metadata request), not a path or other bytes")
          .toRuntimeException();
    }
  }

  // the server is read-only: what would change data says so

  @Override
  public Runnable acceptPutStatement(FlightSql.CommandStatementUpdate command, CallContext context,
      FlightStream values, StreamListener<PutResult> ack) {
    return () -> ack.onError(readOnly("updates"));
  }

  @Override
  public Runnable acceptPutStatementBulkIngest(FlightSql.CommandStatementIngest command, CallContext context,
      FlightStream values, StreamListener<PutResult> ack) {
    return () -> ack.onError(readOnly("bulk ingestion"));
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(FlightSql.CommandPreparedStatementUpdate command,
      CallContext context, FlightStream values, StreamListener<PutResult> ack) {
    return () -> ack.onError(readOnly("updates"));
  }

  @Override
  public void beginTransaction(FlightSql.ActionBeginTransactionRequest request, CallContext context,
      StreamListener<FlightSql.ActionBeginTransactionResult> listener) {
    listener.onError(readOnly("transactions"));
  }

  @Override
  public void beginSavepoint(FlightSql.ActionBeginSavepointRequest request, CallContext context,
      StreamListener<FlightSql.ActionBeginSavepointResult> listener) {
    listener.onError(readOnly("savepoints"));
  }

  private static RuntimeException readOnly(String what) {
    return CallStatus.UNIMPLEMENTED.withDescription(what + " are not supported: this server is read-only; run"
        + " queries (SELECT)").toRuntimeException();
  }

  /** A ticket this server did not write (not a Flight SQL command at all) is the caller's mistake. */
  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    try {
      Any.parseFrom(ticket.getBytes());
    } catch (InvalidProtocolBufferException e) {
      listener.error(CallStatus.INVALID_ARGUMENT.withDescription("the ticket is not one this server hands out: get"
          + " tickets from GetFlightInfo (execute a statement)").toRuntimeException());
      return;
    }
    try {
      super.getStream(context, ticket, listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  // metadata

  @Override
  protected <T extends com.google.protobuf.Message> List<FlightEndpoint> determineEndpoints(T request,
      FlightDescriptor descriptor, org.apache.arrow.vector.types.pojo.Schema schema) {
    return List.of(new FlightEndpoint(new Ticket(Any.pack(request).toByteArray())));
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.catalogs(catalog(context), allocator, listener));
  }

  @Override
  public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
      ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.schemas(catalog(context), command, allocator, listener));
  }

  @Override
  public void getStreamTables(FlightSql.CommandGetTables command, CallContext context, ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.tables(catalog(context), command, allocator, listener));
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.tableTypes(allocator, listener));
  }

  @Override
  public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context,
      ServerStreamListener listener) {
    metadata(listener, () -> sqlInfo.send(command.getInfoList(), listener));
  }

  @Override
  public void getStreamTypeInfo(FlightSql.CommandGetXdbcTypeInfo request, CallContext context,
      ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.empty(FlightSqlProducer.Schemas.GET_TYPE_INFO_SCHEMA, allocator, listener));
  }

  @Override
  public void getStreamPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context,
      ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.empty(FlightSqlProducer.Schemas.GET_PRIMARY_KEYS_SCHEMA, allocator,
        listener));
  }

  @Override
  public void getStreamExportedKeys(FlightSql.CommandGetExportedKeys command, CallContext context,
      ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.empty(FlightSqlProducer.Schemas.GET_EXPORTED_KEYS_SCHEMA, allocator,
        listener));
  }

  @Override
  public void getStreamImportedKeys(FlightSql.CommandGetImportedKeys command, CallContext context,
      ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.empty(FlightSqlProducer.Schemas.GET_IMPORTED_KEYS_SCHEMA, allocator,
        listener));
  }

  @Override
  public void getStreamCrossReference(FlightSql.CommandGetCrossReference command, CallContext context,
      ServerStreamListener listener) {
    metadata(listener, () -> CatalogMetadata.empty(FlightSqlProducer.Schemas.GET_CROSS_REFERENCE_SCHEMA, allocator,
        listener));
  }

  private void stream(CallContext context, String sql, ServerStreamListener listener) {
    Principal who;
    try {
      who = who(context);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
      return;
    }
    streamer.stream(who, sql, listener);
  }

  /** The Arrow schema of the SQL's result, planned over the caller's catalog (no data is read). */
  private org.apache.arrow.vector.types.pojo.Schema resultSchema(Principal who, String sql) {
    try (Query query = server.queries().prepare(who, sql)) {
      return ArrowSchemas.of(query.schema(), allocator);
    }
  }

  /**
   * The result's columns before values are bound: planned with NULL parameters, untyped ones as
   * plain NULLs first (they fit any expression), as text NULLs when a result column would have no
   * type otherwise ({@code SELECT ? AS x}), which is how an untyped value is bound.
   */
  private org.apache.arrow.vector.types.pojo.Schema unboundSchema(Principal who, String sql,
      List<Optional<DataType>> types) {
    try {
      return resultSchema(who, Parameters.withNulls(sql, types, false));
    } catch (NeuralakeException untypedNull) {
      if (types.stream().allMatch(Optional::isPresent)) {
        throw untypedNull;
      }
      try {
        return resultSchema(who, Parameters.withNulls(sql, types, true));
      } catch (NeuralakeException asText) {
        throw untypedNull;
      }
    }
  }

  /** One field per {@code ?}, of its type where known, text otherwise. */
  private org.apache.arrow.vector.types.pojo.Schema parameterSchema(List<Optional<DataType>> types) {
    if (types.isEmpty()) {
      return new org.apache.arrow.vector.types.pojo.Schema(List.of());
    }
    List<Field> fields = new ArrayList<>();
    for (int p = 0; p < types.size(); p++) {
      fields.add(Field.of("p" + (p + 1), types.get(p).orElse(DataType.STRING)));
    }
    return ArrowSchemas.of(Schema.of(fields.toArray(Field[]::new)), allocator);
  }

  /** The type of each {@code ?}: the column's it is compared with, looked up in the tables the SQL names. */
  private List<Optional<DataType>> parameterTypes(Principal who, String sql) {
    if (Parameters.placeholders(sql).isEmpty()) {
      return List.of();
    }
    Catalog catalog = server.queries().catalog(who);
    String lower = sql.toLowerCase(Locale.ROOT);
    Map<String, DataType> columns = new HashMap<>();
    for (String db : catalog.dbs()) {
      for (String table : catalog.db(db).tables()) {
        if (lower.contains((db + "." + table).toLowerCase(Locale.ROOT))) {
          catalog.db(db).table(table).schema().fields()
              .forEach(f -> columns.putIfAbsent(f.name().toLowerCase(Locale.ROOT), f.type()));
        }
      }
    }
    return Parameters.types(sql, name -> Optional.ofNullable(columns.get(name.toLowerCase(Locale.ROOT))));
  }

  private Principal who(CallContext context) {
    return auth.principal(context.peerIdentity());
  }

  private Catalog catalog(CallContext context) {
    return server.queries().catalog(who(context));
  }

  private static <T> T call(java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  private static void metadata(ServerStreamListener listener, Runnable body) {
    try {
      body.run();
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }
}
