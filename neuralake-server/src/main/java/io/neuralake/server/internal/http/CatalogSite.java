package io.neuralake.server.internal.http;

import io.javalin.http.Context;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.ServerContext;
import io.neuralake.site.CatalogExport;
import io.neuralake.site.ServerEndpoints;
import io.neuralake.site.SiteGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The catalog site served live at {@code /}: generated in memory from the served catalog (the whole catalog when the
 * server starts; a user allowed only some databases gets a site of those, made when first asked), with its export
 * as {@code /api/catalog}. The site's scripts and styles hold no catalog content and go to anyone; its pages, search
 * index and export need the same token as the API. A browser cannot add a header when it follows a link, so pages
 * also take the token from a cookie the page's token field sets; the API never does, so no other site can use it.
 */
final class CatalogSite {
  static final String COOKIE = "neuralake_token";
  /** The site's own pages run only its own scripts; uPlot sets styles on the elements it draws. */
  private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private record File(byte[] body, String type, String etag) {}

  /** One view of the catalog: its export and its site's files by path. */
  record View(CatalogExport export, Map<String, File> files) {}

  private static final Principal SERVER = new Principal("server", Optional.empty());

  private final ServerContext server;
  private final String catalogSource;
  private final boolean tokenRequired;
  /** The HTTP door's port, known once it listens (it may have asked for any free port). */
  private final IntSupplier httpPort;
  private final ConcurrentMap<Optional<Set<String>>, View> views = new ConcurrentHashMap<>();

  CatalogSite(ServerContext server, IntSupplier httpPort) {
    this.server = server;
    this.catalogSource = server.catalogSource();
    this.tokenRequired = !server.auth().isOpen();
    this.httpPort = httpPort;
  }

  /** Makes the whole catalog's site, once the door listens and before it is said to be open. */
  void prepare() {
    view(SERVER);
  }

  /** Whether a request's path is the site's (everything but the API, health and metrics). */
  static boolean owns(String path) {
    return !(path.equals("/api") || path.startsWith("/api/") || path.equals("/health") || path.equals("/metrics"));
  }

  View view(Principal who) {
    return views.computeIfAbsent(who.databases(), dbs -> build(server.queries().catalog(who)));
  }

  private View build(Catalog catalog) {
    CatalogExport export = CatalogExport.of(catalog, catalogSource, endpoints());
    try {
      Map<String, File> files = new LinkedHashMap<>();
      SiteGenerator.of(export).live(tokenRequired).render().forEach((path, body) ->
          files.put(path, new File(body, SitePath.contentType(path), etag(body))));
      return new View(export, Map.copyOf(files));
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.INTERNAL, "cannot generate the catalog site of " + catalog.name() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Where the code to copy points: this server's doors as they listen (a door that is off has no snippet), on the
   * address it is bound to; bound to every address, on this machine's name.
   */
  private ServerEndpoints endpoints() {
    Map<String, Integer> doors = server.openDoors();
    return new ServerEndpoints(host(server.bind()), httpPort.getAsInt(), doors.getOrDefault("pg", 0),
        doors.getOrDefault("flight", 0), server.tls().isPresent());
  }

  private static String host(InetAddress bind) {
    if (!bind.isAnyLocalAddress()) {
      return bind.getHostAddress();
    }
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** Answers a GET of the site; {@code authenticate} turns an Authorization header's value into the caller. */
  void serve(Context ctx, Function<String, Principal> authenticate) {
    Optional<String> path = SitePath.resolve(ctx.path());
    if (path.isEmpty()) {
      notFound(ctx, "'" + ctx.path() + "' is not a page of the catalog site; start at its front page, /");
      return;
    }
    String file = path.get();
    if (SitePath.isPublic(file)) {
      send(ctx, view(SERVER).files().get(file), file, true);
      return;
    }
    Principal who;
    try {
      who = authenticate.apply(credentials(ctx));
    } catch (NeuralakeException e) {
      if (e.code() != ErrorCode.UNAUTHENTICATED) {
        throw e;
      }
      if (file.endsWith(".html")) {
        ctx.status(401).header("Cache-Control", "no-store").header("Content-Security-Policy", POLICY)
            .header("WWW-Authenticate", "Bearer realm=\"neuralake\"").contentType(SitePath.contentType(file))
            .result(SiteGenerator.signInPage(server.catalog().name(), file, e.getMessage()));
        return;
      }
      throw e;
    }
    send(ctx, view(who).files().get(file), file, false);
  }

  /** The Authorization header, else the site's cookie as a bearer token. */
  private static String credentials(Context ctx) {
    String header = ctx.header("Authorization");
    String cookie = ctx.cookie(COOKIE);
    if (header != null || cookie == null || cookie.isEmpty()) {
      return header;
    }
    return "Bearer " + URLDecoder.decode(cookie, StandardCharsets.UTF_8);
  }

  private void send(Context ctx, File f, String file, boolean isPublic) {
    if (f == null) {
      notFound(ctx, "the catalog site has no file " + file + (file.startsWith("db/")
          ? "; the table or database may not exist, or you may not read it" : ""));
      return;
    }
    // pages change only when the server restarts: revalidate them by ETag; scripts and styles may be kept an hour
    ctx.header("Cache-Control", isPublic ? "public, max-age=3600" : tokenRequired ? "private, no-cache" : "no-cache")
        .header("ETag", f.etag()).header("X-Content-Type-Options", "nosniff");
    if (!isPublic) {
      ctx.header("Vary", "Authorization, Cookie");
    }
    if (file.endsWith(".html")) {
      ctx.header("Content-Security-Policy", POLICY);
    }
    String match = ctx.header("If-None-Match");
    if (match != null && (match.equals(f.etag()) || match.equals("W/" + f.etag()))) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType(f.type()).result(f.body());
  }

  private static void notFound(Context ctx, String message) {
    throw new NeuralakeException(ErrorCode.OBJECT_NOT_FOUND, message);
  }

  private static String etag(byte[] body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
