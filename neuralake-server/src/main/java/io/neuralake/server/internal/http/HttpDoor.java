package io.neuralake.server.internal.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.neuralake.server.ServerLimits;
import io.neuralake.server.internal.Door;
import io.neuralake.server.internal.ServerContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP door: SQL, REST and GraphQL with ROAPI's routes, the catalog's schema, an OpenAPI
 * document, health and metrics, and the catalog site live at {@code /} — Javalin on Jetty 12,
 * one virtual thread per request, bounded request heads and bodies, idle connections closed.
 */
public final class HttpDoor implements Door {
  private static final Logger LOG = LoggerFactory.getLogger(HttpDoor.class);

  private final Javalin app;
  private final BufferAllocator allocator;
  private final AtomicInteger running;

  private HttpDoor(Javalin app, BufferAllocator allocator, AtomicInteger running) {
    this.app = app;
    this.allocator = allocator;
    this.running = running;
  }

  /** The handler, counted while it runs, so that closing can let running requests finish. */
  private static Handler counted(AtomicInteger running, Handler handler) {
    return ctx -> {
      running.incrementAndGet();
      try {
        handler.handle(ctx);
      } finally {
        running.decrementAndGet();
      }
    };
  }

  /** Starts listening on the server's address and {@code port} (0: any free port). */
  public static HttpDoor open(ServerContext server, int port) {
    ServerLimits limits = server.limits();
    BufferAllocator allocator = server.catalog().context().engine().allocator()
        .newChildAllocator("http-door", 0, Long.MAX_VALUE);
    AtomicReference<Javalin> listening = new AtomicReference<>();
    CatalogSite catalogSite = new CatalogSite(server, () -> listening.get().port());
    HttpApi api = new HttpApi(server, allocator, catalogSite);
    AtomicInteger running = new AtomicInteger();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.concurrency.useVirtualThreads = true;
      config.http.compressionStrategy = CompressionStrategy.NONE;
      config.http.maxRequestSize = limits.maxRequestBytes();
      config.router.ignoreTrailingSlashes = true;
      config.http.prefer405over404 = true; // a known route asked with the wrong method: 405 and Allow (HttpErrors)
      VirtualThreadPool threads = new VirtualThreadPool();
      // at most this many requests at once; queries beyond admission's bound wait there or get 429
      threads.setMaxThreads(Math.max(256, 2 * (limits.maxConcurrentQueries() + limits.maxQueuedQueries()) + 64));
      threads.setName("neuralake-http");
      config.jetty.threadPool = threads;
      config.jetty.modifyHttpConfiguration(http -> {
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
      });
      config.jetty.addConnector((jetty, http) -> {
        ServerConnector c = server.tls().isEmpty() ? new ServerConnector(jetty, new HttpConnectionFactory(http))
            : HttpsConnector.create(jetty, http, server.tls().get());
        c.setHost(server.bind().getHostAddress());
        c.setPort(port);
        c.setIdleTimeout(limits.idleTimeout().toMillis());
        return c;
      });
      config.jetty.modifyServer(jetty -> {
        jetty.setStopTimeout(limits.shutdownGrace().toMillis());
        jetty.setErrorHandler(new JettyErrors(limits));
      });
      config.routes.before(api::authenticate);
      config.routes.get("/health", counted(running, api::health));
      config.routes.get("/metrics", counted(running, api::metrics));
      config.routes.get("/api/version", counted(running, api::version));
      config.routes.post("/api/sql", counted(running, api::sql));
      config.routes.get("/api/tables/{db}/{table}", counted(running, api::tableSlashed));
      config.routes.get("/api/tables/{name}", counted(running, api::tableDotted));
      config.routes.get("/api/schema", counted(running, api::schemas));
      config.routes.get("/api/schema/{name}", counted(running, api::schema));
      config.routes.get("/api/catalog", counted(running, api::catalog));
      config.routes.get("/api/freshness/{name}", counted(running, api::freshness));
      config.routes.get("/api/openapi.json", counted(running, api::openApi));
      config.routes.post("/api/graphql", counted(running, api::graphql));
      // the catalog site: its files are at the root, in assets/ and in db/DATABASE/ (no catch-all: it would answer
      // for the API's unknown routes and methods)
      for (String site : new String[] {"/", "/{file}", "/assets/{file}", "/db/{db}/{file}"}) {
        config.routes.get(site, counted(running, api::site));
      }
      config.routes.exception(HttpResponseException.class, (e, ctx) -> HttpErrors.answer(ctx, e));
      config.routes.exception(Exception.class, (e, ctx) -> HttpErrors.answer(ctx, e));
    });
    listening.set(app);
    try {
      app.start();
      catalogSite.prepare();
    } catch (RuntimeException e) {
      app.stop();
      allocator.close();
      throw e;
    }
    return new HttpDoor(app, allocator, running);
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public int port() {
    return app.port();
  }

  @Override
  public void close(Duration grace) {
    try {
      for (Connector c : app.jettyServer().server().getConnectors()) {
        if (c instanceof NetworkConnector listening) {
          listening.close(); // no new connections; those open finish their requests
        }
      }
      long deadline = System.nanoTime() + grace.toNanos();
      while (running.get() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (running.get() > 0) {
        LOG.warn("{} HTTP requests still running after the shutdown grace of {}; they are cut off", running.get(), grace);
      }
      app.jettyServer().server().setStopTimeout(0);
      app.stop();
    } finally {
      try {
        allocator.close();
      } catch (IllegalStateException e) {
        LOG.warn("the HTTP door's Arrow memory was not all released: {}", e.getMessage());
      }
    }
  }
}
