package io.neuralake.server.internal.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.javalin.http.Context;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.QueryService;
import io.neuralake.server.internal.ReadAheadReader;
import io.neuralake.server.internal.ServerContext;
import java.io.IOException;
import java.io.InputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/** The HTTP door's routes: what each one reads from the request and answers. */
final class HttpApi {
  static final String PRINCIPAL = "neuralake.principal";
  private static final String BEARER = "Bearer ";
  /** The most of a refused body read and dropped so that its client can read the refusal. */
  private static final long DISCARD_BYTES = 16L << 20;

  private final ServerContext server;
  private final BufferAllocator allocator;
  private final GraphqlEndpoint graphql;
  private final String version;
  private final CatalogSite site;

  HttpApi(ServerContext server, BufferAllocator allocator, CatalogSite site) {
    this.server = server;
    this.allocator = allocator;
    this.site = site;
    this.graphql = new GraphqlEndpoint(server.queries());
    String v = HttpApi.class.getPackage().getImplementationVersion();
    this.version = v == null ? "dev" : v;
  }

  /**
   * Every route but {@code /health} needs a valid bearer token, unless the server is open. The catalog site
   * authenticates its own requests ({@link CatalogSite}): its scripts and styles go to anyone.
   */
  void authenticate(Context ctx) {
    if (ctx.path().equals("/health") || CatalogSite.owns(ctx.path())) {
      return;
    }
    ctx.attribute(PRINCIPAL, principal(ctx.header("Authorization")));
  }

  /** The caller an Authorization header's value names, or UNAUTHENTICATED. */
  private Principal principal(String header) {
    String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? header.substring(BEARER.length()).strip() : null;
    return server.auth().bearer(token).orElseThrow(() -> new NeuralakeException(ErrorCode.UNAUTHENTICATED,
        header == null ? "this server needs a token: send the header 'Authorization: Bearer TOKEN'"
            : token == null ? "the Authorization header must be 'Bearer TOKEN'"
            : "the bearer token is not valid; ask the server's operator for one"));
  }

  private static Principal who(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  void health(Context ctx) {
    ctx.json(java.util.Map.of("status", "ok"));
  }

  void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(server.metrics().render());
  }

  void version(Context ctx) {
    json(ctx, HttpErrors.JSON.createObjectNode().put("name", "neuralake").put("version", version)
        .put("catalog", server.catalog().name()));
  }

  void sql(Context ctx) {
    ResultFormat format = ResultFormat.negotiate(ctx.header("Accept"));
    String sql = body(ctx);
    if (sql.isBlank()) {
      throw new NeuralakeException(ErrorCode.INVALID_SQL, "the request body is empty: POST the SQL text, e.g."
          + " curl -d 'SELECT 1' .../api/sql");
    }
    send(ctx, format, sql, server.queries().prepare(who(ctx), sql));
  }

  void table(Context ctx, TableRef table) {
    ResultFormat format = ResultFormat.negotiate(ctx.header("Accept"));
    TableRead read = RestParams.parse(table, ctx.queryParamMap());
    send(ctx, format, read.describe(), read.frame().prepare());
  }

  void tableDotted(Context ctx) {
    table(ctx, TableRef.of(callersCatalog(ctx), ctx.pathParam("name")));
  }

  void tableSlashed(Context ctx) {
    table(ctx, TableRef.of(callersCatalog(ctx), ctx.pathParam("db"), ctx.pathParam("table")));
  }

  void schemas(Context ctx) {
    json(ctx, SchemaJson.schemas(callersCatalog(ctx)));
  }

  void schema(Context ctx) {
    json(ctx, SchemaJson.schema(TableRef.of(callersCatalog(ctx), ctx.pathParam("name"))));
  }

  /** The site's versioned catalog export of the tables the caller may read, as of the server's start. */
  void catalog(Context ctx) {
    ctx.contentType("application/json").result(site.view(who(ctx)).export().json());
  }

  /** A table's version and last change, from its metadata (a Delta log, a listing), read now. */
  void freshness(Context ctx) {
    json(ctx, Freshness.of(TableRef.of(callersCatalog(ctx), ctx.pathParam("name"))));
  }

  /** The catalog site's files. */
  void site(Context ctx) {
    site.serve(ctx, this::principal);
  }

  void openApi(Context ctx) {
    json(ctx, OpenApiDocument.of(callersCatalog(ctx), version));
  }

  void graphql(Context ctx) {
    Principal who = who(ctx);
    GraphqlEndpoint.Answer answer = graphql.plan(who, body(ctx));
    try {
      graphql.write(who, answer, () -> {
        ctx.res().setStatus(200);
        ctx.res().setContentType("application/json");
        return ctx.res().getOutputStream();
      });
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.CANCELLED, "sending the result failed (the client left?): " + e.getMessage(), e);
    }
  }

  private io.neuralake.catalog.Catalog callersCatalog(Context ctx) {
    return server.queries().catalog(who(ctx));
  }

  private static void json(Context ctx, Object body) {
    try {
      ctx.contentType("application/json").result(HttpErrors.JSON.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new NeuralakeException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** The request body as text, refused beyond the server's request limit before it is read whole. */
  private String body(Context ctx) {
    long max = server.limits().maxRequestBytes();
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared > max) {
        discardRest(in, declared);
        throw tooLarge(declared, max);
      }
      byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > max) {
        discardRest(in, -1);
        throw tooLarge(bytes.length, max);
      }
      return new String(bytes, UTF_8);
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.CANCELLED, "the request body could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads and drops the rest of a refused body, up to {@link #DISCARD_BYTES}. A client still sending when the server
   * answers and closes gets a reset that can destroy the 413 before it is read; draining a few megabytes lets the
   * answer arrive. Beyond that bound the connection is closed unread: nobody is owed a drain of gigabytes.
   */
  private static void discardRest(InputStream in, long declared) throws IOException {
    if (declared > DISCARD_BYTES) {
      return;
    }
    byte[] sink = new byte[64 * 1024];
    long left = DISCARD_BYTES;
    int n;
    while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
      left -= n;
    }
  }

  private static NeuralakeException tooLarge(long size, long max) {
    return new NeuralakeException(ErrorCode.REQUEST_TOO_LARGE, "the request body is " + (size > max ? "over " : "")
        + max + " bytes, the most this server takes (NEURALAKE_SERVER_MAX_REQUEST_BYTES)");
  }

  /** Runs a prepared query and streams its result in the format asked for. */
  private void send(Context ctx, ResultFormat format, String what, Query query) {
    try (Query q = query; QueryService.Result result = server.queries().open(who(ctx), "http", what, q)) {
      try {
        ctx.res().setStatus(200);
        ctx.res().setContentType(format.contentType());
        jakarta.servlet.ServletOutputStream body = ctx.res().getOutputStream();
        Progress out = new Progress(body, body instanceof HttpOutput jetty ? (Progress.BufferSink) jetty::write : null, result);
        // the engine makes the next batch while this thread encodes and sends the last
        try (ReadAheadReader batches = new ReadAheadReader(result.reader(), allocator, q::cancel)) {
          encoder(format).write(batches, out);
        }
      } catch (IOException | RuntimeException e) {
        result.failed(e);
        throw e instanceof RuntimeException r ? r : new NeuralakeException(ErrorCode.CANCELLED,
            "sending the result failed (the client left?): " + e.getMessage(), e);
      }
    }
  }

  private ResultEncoder encoder(ResultFormat format) {
    return switch (format) {
      case JSON -> new JsonEncoder(false);
      case NDJSON -> new JsonEncoder(true);
      case CSV -> new CsvEncoder();
      case ARROW_STREAM -> new ArrowEncoder(false);
      case ARROW_FILE -> new ArrowEncoder(true);
      case PARQUET -> new ParquetEncoder(allocator);
    };
  }
}
