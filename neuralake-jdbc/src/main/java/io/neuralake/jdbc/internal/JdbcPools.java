package io.neuralake.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.runtime.RuntimeComponents;
import io.neuralake.spi.Messages;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connection pools of a runtime's relational tables, one per database URL and user, created on
 * first use and closed with the runtime. A pool holds no idle connection it was not asked for.
 */
public final class JdbcPools implements AutoCloseable {
  private static final Pattern HOST = Pattern.compile("^jdbc:[a-z0-9]+://([^/?;]+)");
  private static final int MAX_CONNECTIONS = 8;

  /**
   * The password is part of the key: a table with other credentials for the same user never borrows
   * connections another password opened, and rotated credentials get a new pool (the old one's idle
   * connections end with Hikari's idle timeout, its in-flight reads undisturbed).
   */
  private record Key(String url, String user, String password) {
    @Override
    public String toString() {
      return "Key[" + url + ", " + user + "]";
    }
  }

  private final Map<Key, HikariDataSource> pools = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  /** The runtime's pools. */
  public static JdbcPools of(LakeRuntime runtime) {
    return RuntimeComponents.of(runtime, JdbcPools.class, r -> new JdbcPools());
  }

  /**
   * A connection for {@code reader} ("table patients", "database clinic (schema public)"); the caller
   * closes it (back to the pool). Errors name the reader, the host and port, the user and what to
   * check; never the password.
   */
  public Connection connect(String reader, String url, String user, String password, String credentialSource,
      Duration timeout) {
    return connect(reader, url, user, password, credentialSource, timeout, MAX_CONNECTIONS);
  }

  /**
   * As {@link #connect(String, String, String, String, String, Duration)}, from a pool that allows at
   * least {@code connections} connections (a parallel read's ranges; a pool only grows).
   */
  public Connection connect(String reader, String url, String user, String password, String credentialSource,
      Duration timeout, int connections) {
    try {
      return pool(url, user, password, timeout, Math.max(MAX_CONNECTIONS, connections)).getConnection();
    } catch (SQLException | HikariPool.PoolInitializationException e) {
      throw connectError(reader, url, user, credentialSource, e);
    }
  }

  private synchronized HikariDataSource pool(String url, String user, String password, Duration timeout, int size) {
    if (closed) {
      throw LakeRuntime.closedError("connect to a database");
    }
    Key key = new Key(url, user, password);
    HikariDataSource pool = pools.get(key);
    if (pool == null) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(user);
      config.setPassword(password);
      config.setPoolName("neuralake-jdbc-" + hostPort(url));
      config.setMaximumPoolSize(size);
      config.setMinimumIdle(0);
      config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
      // the first connection is made here, once: a refused connection or a wrong password fails at once rather
      // than after the connection timeout, and no pool is kept, so the next read tries again
      config.setInitializationFailTimeout(1);
      pool = new HikariDataSource(config);
      pools.put(key, pool);
    } else if (pool.getMaximumPoolSize() < size) {
      pool.getHikariConfigMXBean().setMaximumPoolSize(size); // a running pool's size may change
    }
    return pool;
  }

  /** {@code host:port} of a JDBC URL, or the URL without its parameters when it has none. */
  public static String hostPort(String url) {
    Matcher m = HOST.matcher(url);
    if (m.find()) {
      return m.group(1);
    }
    int cut = url.indexOf('?');
    return cut < 0 ? url : url.substring(0, cut);
  }

  private static NeuralakeException connectError(String reader, String url, String user, String credentialSource,
      Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String reason = Messages.firstLine(String.valueOf(cause.getMessage()));
    boolean auth = reason.contains("password authentication failed") || reason.contains("authentication");
    String check = auth ? "check the user and password (" + credentialSource + ")"
        : "check that the database server is running and reachable at " + hostPort(url)
            + " (host, port, firewall) and that the database in the URL exists";
    return new NeuralakeException(auth ? ErrorCode.UNAUTHENTICATED : ErrorCode.STORAGE_UNAVAILABLE,
        reader + ": cannot connect to the database at " + hostPort(url) + " as user '" + user + "': "
            + reason + "; " + check, e);
  }

  /** Connections lent out and not yet given back, over all pools (for tests and diagnostics). */
  public synchronized int activeConnections() {
    return pools.values().stream().mapToInt(p -> p.getHikariPoolMXBean() == null ? 0
        : p.getHikariPoolMXBean().getActiveConnections()).sum();
  }

  /** The largest number of connections any pool allows (for tests and diagnostics). */
  public synchronized int maximumConnections() {
    return pools.values().stream().mapToInt(HikariDataSource::getMaximumPoolSize).max().orElse(0);
  }

  @Override
  public synchronized void close() {
    closed = true;
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }
}
