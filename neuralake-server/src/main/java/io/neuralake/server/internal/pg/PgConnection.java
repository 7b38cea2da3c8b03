package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.User;
import io.neuralake.server.internal.Authenticator;
import io.neuralake.server.internal.Principal;
import io.neuralake.server.internal.ServerContext;
import io.neuralake.server.internal.Tls;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: startup (SSL when TLS is configured, GSS encryption declined, cancel requests), SCRAM
 * authentication, then simple and extended queries until the client terminates, goes silent
 * longer than the idle timeout, or breaks the protocol.
 */
final class PgConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);
  private static final int SSL_REQUEST = 80_877_103;
  /** The first byte of a TLS handshake record (a ClientHello), how a direct TLS connection opens. */
  private static final int TLS_HANDSHAKE_RECORD = 0x16;
  /** The ALPN protocol name PostgreSQL 17 negotiates for its wire protocol. */
  private static final String ALPN = "postgresql";
  private static final int GSSENC_REQUEST = 80_877_104;
  private static final int CANCEL_REQUEST = 80_877_102;
  private static final int PROTOCOL_3 = 196_608;
  private static final int MAX_STARTUP_BYTES = 10_000;
  private static final int OVER_LIMIT_STARTUP_MILLIS = 10_000;

  private final PgDoor door;
  private final ServerContext context;
  private final Socket socket;
  private final int processId;
  private final int secretKey;
  private final boolean overLimit;
  private final Map<String, PgExtended.Statement> statements = new HashMap<>();
  private final Map<String, PgExtended.Portal> portals = new HashMap<>();
  private volatile Query running;
  /** A statement is being handled (planned or run): a cancel arriving before it runs is kept for it. */
  private volatile boolean busy;
  private volatile boolean cancelPending;
  private volatile String runningSql;
  private PgOut out;
  /** The TLS session layered over the socket, once the client asked for SSL (null: clear text). */
  private volatile SSLSocket tls;
  private PgSession session;
  private Principal principal;

  /** {@code overLimit}: the door has its maximum of connections; this one may only cancel a query. */
  PgConnection(PgDoor door, Socket socket, int processId, int secretKey, boolean overLimit) {
    this.door = door;
    this.context = door.context();
    this.socket = socket;
    this.processId = processId;
    this.secretKey = secretKey;
    this.overLimit = overLimit;
  }

  int secretKey() {
    return secretKey;
  }

  boolean isRunning() {
    return running != null;
  }

  void cancelRunning() {
    Query q = running;
    if (q != null) {
      q.cancel();
    } else if (busy) {
      cancelPending = true; // still planning: cancelled as soon as it runs
    }
  }

  /** One row of {@code pg_stat_activity}: this connection, and what it runs now. */
  Object[] activity() {
    PgSession s = session;
    Query q = running;
    return new Object[] {16_383, s == null ? null : s.database(), processId, s == null ? null : s.user(),
        s == null ? null : s.setting("application_name"), q != null ? "active" : s == null ? "idle"
        : switch (s.status()) {
          case 'T' -> "idle in transaction";
          case 'E' -> "idle in transaction (aborted)";
          default -> "idle";
        }, q == null ? null : runningSql};
  }

  /** The query now running (null: none); a cancel that came while it was planned takes effect now. */
  private void running(Query q) {
    running = q;
    if (q != null && cancelPending) {
      q.cancel();
    }
  }

  void kill() {
    cancelRunning();
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing a PostgreSQL connection: {}", e.toString());
    }
  }

  void run() {
    // not try-with-resources: that would close the socket before a catch block sends the FATAL error
    try {
      // over the limit, a client gets a short while to say it only cancels
      socket.setSoTimeout((int) Math.min(overLimit ? OVER_LIMIT_STARTUP_MILLIS : Integer.MAX_VALUE,
          context.limits().idleTimeout().toMillis()));
      socket.setTcpNoDelay(true);
      PgIn in = startup(attach(socket));
      if (in == null) {
        return;
      }
      messages(in);
    } catch (SocketTimeoutException e) {
      fatal("57P05", "terminating the connection: it was idle longer than the server's idle timeout of "
          + context.limits().idleTimeout().toSeconds() + " s (NEURALAKE_SERVER_IDLE_TIMEOUT)");
    } catch (EOFException e) {
      LOG.debug("PostgreSQL client {} went away", socket.getRemoteSocketAddress());
    } catch (PgIn.Malformed e) {
      fatal("08P01", e.getMessage());
    } catch (NeuralakeException e) {
      fatal(e.code().sqlState(), e.getMessage());
    } catch (IOException e) {
      LOG.debug("PostgreSQL connection {}: {}", socket.getRemoteSocketAddress(), e.toString());
    } catch (RuntimeException e) {
      LOG.warn("PostgreSQL connection {} failed", socket.getRemoteSocketAddress(), e);
      fatal("XX000", "internal error: " + e);
    } finally {
      // a client gone mid-result leaves portals open: their results give back their turns here
      closePortals();
      closeTls();
      kill();
    }
  }

  /** Replies go to {@code s}; returns the one buffer its bytes are read through. */
  private BufferedInputStream attach(Socket s) throws IOException {
    out = new PgOut(new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
    // one buffer under both readers, so bytes a client sent ahead of the startup's end are not lost
    return new BufferedInputStream(s.getInputStream());
  }

  /** Reads the startup packets; the reader of the session's messages once it is authenticated and ready, else null. */
  private PgIn startup(BufferedInputStream stream) throws IOException {
    if (door.ssl().isPresent() && opensWithTlsHandshake(stream)) {
      stream = upgradeDirect(stream);
      if (stream == null) {
        return null;
      }
    }
    PgIn in = new PgIn(stream, Math.min(MAX_STARTUP_BYTES, context.limits().maxRequestBytes()));
    for (int attempt = 0; attempt < 4; attempt++) {
      PgIn.Body body = in.startup();
      int code = body.int32();
      switch (code) {
        case SSL_REQUEST -> {
          if (door.ssl().isEmpty() || tls != null) {
            out.byte1('N').flush(); // no TLS configured (or already on): the client goes on as it is, or gives up
          } else {
            stream = upgrade(stream);
            in = new PgIn(stream, Math.min(MAX_STARTUP_BYTES, context.limits().maxRequestBytes()));
          }
        }
        case GSSENC_REQUEST -> out.byte1('N').flush(); // no GSSAPI: the client goes on, asking for SSL next
        case CANCEL_REQUEST -> {
          // in clear text even when TLS is on: libpq before 17 and pgJDBC send cancels unencrypted, as PostgreSQL takes
          door.cancel(body.int32(), body.int32());
          return null;
        }
        case PROTOCOL_3 -> {
          if (overLimit) {
            fatal("53300", "sorry, too many clients already: this server takes " + context.limits().maxConnections()
                + " PostgreSQL connections at once, idle ones included (NEURALAKE_SERVER_MAX_CONNECTIONS); close"
                + " idle connections (or shrink your pool) and retry");
            return null;
          }
          if (door.ssl().isPresent() && tls == null) {
            // as PostgreSQL's hostssl lines: with TLS configured, clear-text sessions are refused, loopback included
            fatal("28000", "SSL required: this server takes only encrypted PostgreSQL connections; connect with"
                + " sslmode=verify-full and the server's CA certificate as sslrootcert"
                + " (psql \"host=... sslmode=verify-full sslrootcert=ca.pem\"), or at least sslmode=require");
            return null;
          }
          Map<String, String> params = new HashMap<>();
          for (int i = 0; i < 64 && !body.atEnd(); i++) {
            String k = body.cstring();
            if (k.isEmpty()) {
              break;
            }
            params.put(k, body.cstring());
          }
          PgIn messages = new PgIn(stream, context.limits().maxRequestBytes());
          return authenticate(params, messages) ? messages : null;
        }
        default -> {
          fatal("0A000", "unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xffff)
              + ": this server speaks protocol 3.0");
          return null;
        }
      }
    }
    fatal("08P01", "too many startup packets");
    return null;
  }

  /**
   * Answers an SSLRequest with 'S' and runs the TLS handshake over the socket (its read timeout
   * bounds a client that stalls in it); returns the buffer reading the decrypted bytes.
   */
  private BufferedInputStream upgrade(BufferedInputStream clear) throws IOException {
    if (clear.available() > 0) {
      // bytes sent after the SSLRequest before our answer would be taken as if encrypted (CVE-2021-23214)
      fatal("08P01", "received unencrypted data after SSL request: wait for the server's answer before the handshake");
      throw new EOFException("unencrypted data after SSLRequest");
    }
    out.byte1('S').flush();
    out = null; // nothing more in clear text: a failed handshake ends the connection without an answer
    SSLSocket s = (SSLSocket) door.ssl().get().getSocketFactory().createSocket(socket,
        socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    s.setUseClientMode(false);
    handshake(s);
    return attach(s);
  }

  /**
   * Whether the client opened with a TLS record (PostgreSQL 17's direct TLS, {@code sslnegotiation=direct}):
   * its first byte, 0x16, can never start a startup packet, whose length would then exceed any limit.
   */
  private static boolean opensWithTlsHandshake(BufferedInputStream clear) throws IOException {
    clear.mark(1);
    int first = clear.read();
    clear.reset();
    return first == TLS_HANDSHAKE_RECORD;
  }

  /**
   * Runs the TLS handshake a client started without an SSLRequest, the bytes already read included. As
   * PostgreSQL does, the client must have negotiated the {@code postgresql} protocol by ALPN (libpq and
   * pgJDBC do): that keeps a TLS client meant for another protocol from being taken for a PostgreSQL one.
   * Returns the buffer reading the decrypted bytes, or null when the session was refused.
   */
  private BufferedInputStream upgradeDirect(BufferedInputStream clear) throws IOException {
    out = null; // no clear-text answer to a client that speaks TLS
    byte[] consumed = clear.readNBytes(clear.available()); // what was buffered: the start of the client's hello
    SSLSocket s = (SSLSocket) door.ssl().get().getSocketFactory().createSocket(socket,
        new ByteArrayInputStream(consumed), true);
    handshake(s);
    BufferedInputStream stream = attach(s);
    if (!ALPN.equals(s.getApplicationProtocol())) {
      fatal("08P01", "direct TLS connection without ALPN: a direct TLS (sslnegotiation=direct) client must negotiate"
          + " the \"" + ALPN + "\" protocol by ALPN, as libpq 17 and pgJDBC do; or connect with"
          + " sslnegotiation=postgres");
      return null;
    }
    return stream;
  }

  /** The server's side of a TLS handshake, on either road in; offers {@code postgresql} by ALPN as PostgreSQL 17 does. */
  private void handshake(SSLSocket s) throws IOException {
    s.setEnabledProtocols(Tls.PROTOCOLS);
    SSLParameters parameters = s.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {ALPN});
    s.setSSLParameters(parameters);
    tls = s;
    s.startHandshake();
  }

  /** Ends TLS with a close_notify, so the client reads the end of the session rather than a cut connection. */
  private void closeTls() {
    SSLSocket s = tls;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing a PostgreSQL TLS session: {}", e.toString());
      }
    }
  }

  /**
   * Authenticates the user, then checks the database named: the catalog's (what {@code \l} lists),
   * {@code postgres} (where tools such as DBeaver and pgAdmin connect first), the user's own name
   * (what psql and pgJDBC send when given none) or one of the catalog's databases the user may read.
   * Which one changes nothing but what {@code current_database()} says: every connection sees all
   * the user's databases as schemas.
   */
  private boolean authenticate(Map<String, String> params, PgIn in) throws IOException {
    String user = params.get("user");
    if (user == null || user.isEmpty()) {
      fatal("28000", "no user name in the startup message: connect with a user (psql -U NAME)");
      return false;
    }
    Authenticator auth = context.auth();
    if (auth.isOpen()) {
      principal = Principal.ANONYMOUS;
    } else {
      Optional<Principal> who = scram(user, auth, in);
      if (who.isEmpty()) {
        fatal("28P01", "password authentication failed for user \"" + user + "\"");
        return false;
      }
      principal = who.get();
    }
    String database = params.getOrDefault("database", "");
    List<String> databases = context.queries().catalog(principal).dbs();
    String catalog = context.catalog().name();
    if (database.isEmpty()) {
      database = catalog;
    } else if (!database.equals(catalog) && !database.equals("postgres") && !database.equals(user)
        && !databases.contains(database)) {
      fatal("3D000", "database \"" + database + "\" does not exist: connect to " + catalog + " (the catalog), postgres"
          + " (PostgreSQL tools' default), " + user + " (your user name: psql's and pgJDBC's default)"
          + (databases.isEmpty() ? "" : " or one of the catalog's databases " + String.join(", ", databases))
          + "; each connection sees all your databases as schemas: name tables as database.table");
      return false;
    }
    out.begin('R').int32(0).end();
    session = new PgSession(user, database, params.get("application_name"), processId, secretKey);
    for (Map.Entry<String, String> e : session.reported().entrySet()) {
      out.begin('S').cstring(e.getKey()).cstring(e.getValue()).end();
    }
    out.begin('K').int32(processId).int32(secretKey).end();
    ready();
    return true;
  }

  /** SCRAM-SHA-256; the client proves it knows the user's password (or token). */
  private Optional<Principal> scram(String name, Authenticator auth, PgIn in) throws IOException {
    out.begin('R').int32(10).cstring(Scram.MECHANISM).byte1(0).end();
    out.flush();
    Optional<User> user = auth.user(name);
    List<Scram.Secret> secrets = user.map(u -> door.secrets().computeIfAbsent(u.name(), k -> derive(u)))
        .orElseGet(() -> List.of(Scram.Secret.random(Long.toHexString(System.nanoTime())))); // nobody: same steps
    Scram scram = new Scram();
    try {
      PgIn.Message first = in.next();
      if (first == null || first.type() != 'p') {
        return Optional.empty();
      }
      String mechanism = first.body().cstring();
      if (!mechanism.equals(Scram.MECHANISM)) {
        return Optional.empty();
      }
      int length = first.body().int32();
      String clientFirst = new String(first.body().bytes(length), UTF_8);
      byte[] serverFirst = scram.serverFirst(clientFirst, secrets.get(0)).getBytes(UTF_8);
      out.begin('R').int32(11).bytes(serverFirst).end();
      out.flush();
      PgIn.Message last = in.next();
      if (last == null || last.type() != 'p') {
        return Optional.empty();
      }
      String clientFinal = new String(last.body().bytes(last.body().remaining()), UTF_8);
      Optional<String> serverFinal = scram.serverFinal(clientFinal, secrets);
      if (serverFinal.isEmpty() || user.isEmpty()) {
        return Optional.empty();
      }
      out.begin('R').int32(12).bytes(serverFinal.get().getBytes(UTF_8)).end();
      return Optional.of(Authenticator.principal(user.get()));
    } catch (IllegalArgumentException e) {
      LOG.debug("SCRAM with {} refused: {}", socket.getRemoteSocketAddress(), e.getMessage());
      return Optional.empty();
    }
  }

  /** A user's secrets salted with one random salt: the password and the token, as they have them. */
  private static List<Scram.Secret> derive(User u) {
    List<String> secrets = new ArrayList<>();
    u.password().ifPresent(secrets::add);
    u.token().ifPresent(secrets::add);
    Scram.Secret first = Scram.Secret.random(secrets.get(0));
    List<Scram.Secret> all = new ArrayList<>(List.of(first));
    for (int i = 1; i < secrets.size(); i++) {
      all.add(Scram.Secret.derive(secrets.get(i), first.salt(), first.iterations()));
    }
    return List.copyOf(all);
  }

  private void messages(PgIn in) throws IOException {
    PgExtended extended = new PgExtended(this);
    while (true) {
      PgIn.Message m;
      try {
        m = in.next();
      } catch (NeuralakeException e) {
        fatal(e.code().sqlState(), e.getMessage()); // oversized or malformed: the stream cannot be trusted now
        return;
      }
      if (m == null || m.type() == 'X') {
        return;
      }
      busy = true;
      cancelPending = false;
      try {
        switch (m.type()) {
          case 'Q' -> {
            extended.reset();
            simpleQuery(m.body().cstring());
          }
          case 'P', 'B', 'D', 'E', 'C', 'S', 'H' -> extended.handle(m);
          default -> {
            error(new NeuralakeException(ErrorCode.NOT_SUPPORTED, "message type '" + m.type() + "' is not supported"
                + " (this server does not take COPY or function calls)"));
            ready();
          }
        }
      } catch (PgIn.Malformed e) {
        fatal("08P01", e.getMessage()); // the stream's framing cannot be trusted any more
        return;
      } finally {
        busy = false;
      }
      out.flush();
    }
  }

  /** A simple query: each of its statements in turn, up to the first that fails. */
  private void simpleQuery(String sql) throws IOException {
    List<String> statements = new SqlText(sql).statements();
    try {
      if (statements.isEmpty()) {
        execute(sql, sql, List.of(), 0, true); // nothing but comments: EmptyQueryResponse
      }
      for (String one : statements) {
        execute(one, one, List.of(), 0, true);
      }
    } catch (RuntimeException e) {
      error(e);
    }
    ready();
  }

  /**
   * Runs one statement and sends its rows: all of them, or at most {@code maxRows} (when more than
   * 0) and then the open result to go on with (the portal keeps it); null when the result is done.
   * {@code describe}: send the RowDescription first (the simple protocol). {@code written}: the
   * statement as the client wrote it (before parameters were bound), which names the columns.
   */
  PgResultWriter execute(String sql, String written, List<Integer> formats, int maxRows, boolean describe)
      throws IOException {
    if (PgSession.isEmpty(sql)) {
      out.begin('I').end();
      return null;
    }
    char before = session.status();
    Optional<PgSession.Answer> answer = session.handle(sql);
    if (answer.isPresent()) {
      PgSession.Answer a = answer.get();
      if (before != 'I' && session.status() == 'I') {
        closePortals(); // a transaction block's end closes its portals, as in PostgreSQL
      }
      if (a.notice() != null) {
        notice("WARNING", a.notice().sqlState(), a.notice().message());
      }
      if (a.row().isPresent()) {
        if (describe) {
          PgResultWriter.rowDescription(out, List.of(a.column()), List.of(PgType.TEXT), List.of(-1), List.of());
        }
        byte[] v = a.row().get()[0].getBytes(UTF_8);
        out.begin('D').int16(1).int32(v.length).bytes(v).end();
      }
      out.begin('C').cstring(a.tag()).end();
      return null;
    }
    PgResultWriter writer = new PgResultWriter(prepare(sql), names -> door.parser().columnNames(written, names),
        formats);
    if (describe) {
      writer.describe(out);
    }
    runningSql = sql;
    running(writer.query()); // cancellable from here: opening may already run the query
    try {
      writer.open(context.queries(), principal, sql);
    } catch (RuntimeException e) {
      writer.close();
      running(null);
      throw e;
    }
    return resume(writer, maxRows);
  }

  /** Sends (more of) an open result; returns it while rows remain, closed and null once done. */
  PgResultWriter resume(PgResultWriter writer, int maxRows) throws IOException {
    running(writer.query());
    try {
      return writer.send(out, maxRows) ? null : writer;
    } catch (IOException | RuntimeException e) {
      writer.close();
      throw e;
    } finally {
      running(null);
    }
  }

  /** Plans SQL over the user's catalog, answering catalog relations and functions from {@link PgCatalog}. */
  Query prepare(String sql) {
    if (!PgCatalogRewrite.concerns(sql)) {
      return context.queries().prepare(principal, sql);
    }
    String engineSql = PgCatalogRewrite.rewrite(sql, this::catalogView, session);
    // the client's text was bounded as a message; the catalog rows added to it are ours and may be longer
    return engineSql.equals(sql) ? context.queries().prepare(principal, sql)
        : context.queries().catalog(principal).prepare(engineSql);
  }

  private PgCatalog catalogView() {
    return new PgCatalog(context.queries().catalog(principal), session.user(), door.activity(session.user()),
        door.schemas()::of);
  }

  /** The RowDescription of a planned query, its columns named as in the statement the client wrote. */
  void describe(Query q, String written, List<Integer> formats) throws IOException {
    new PgResultWriter(q, names -> door.parser().columnNames(written, names), formats).describe(out);
  }

  PgSession session() {
    return session;
  }

  PgOut out() {
    return out;
  }

  Map<String, PgExtended.Statement> statements() {
    return statements;
  }

  Map<String, PgExtended.Portal> portals() {
    return portals;
  }

  /** Closes every portal (and gives back the turns their open results hold). */
  void closePortals() {
    portals.values().forEach(PgExtended.Portal::close);
    portals.clear();
  }

  void ready() throws IOException {
    out.begin('Z').byte1(session == null ? 'I' : session.status()).end();
    out.flush();
  }

  /** An ErrorResponse for a failed statement; the connection goes on. */
  void error(Throwable e) throws IOException {
    ErrorCode code = ErrorCode.of(e);
    if (code == ErrorCode.INTERNAL) {
      LOG.warn("PostgreSQL query failed", e);
    }
    if (session != null) {
      session.failed();
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    errorResponse("ERROR", e instanceof PgSession.Refused r ? r.sqlState() : code.sqlState(), message);
  }

  private void errorResponse(String severity, String sqlState, String message) throws IOException {
    report('E', severity, sqlState, message);
  }

  /** A NoticeResponse (a WARNING, NOTICE, ...): shown by the client, the statement goes on. */
  private void notice(String severity, String sqlState, String message) throws IOException {
    report('N', severity, sqlState, message);
  }

  private void report(char type, String severity, String sqlState, String message) throws IOException {
    out.begin(type).byte1('S').cstring(severity).byte1('V').cstring(severity).byte1('C').cstring(sqlState)
        .byte1('M').cstring(message).byte1(0).end();
  }

  /** A FATAL ErrorResponse; the connection closes after it. */
  private void fatal(String sqlState, String message) {
    try {
      if (out != null) {
        errorResponse("FATAL", sqlState, message);
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("sending a FATAL error: {}", e.toString());
    }
  }
}
