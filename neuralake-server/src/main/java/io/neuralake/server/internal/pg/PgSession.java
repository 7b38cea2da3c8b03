package io.neuralake.server.internal.pg;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection's session: who, which catalog, its settings, and the statements the server
 * answers itself because they concern the session and not the data (SET, SHOW, RESET, DISCARD, and
 * the transaction statements {@link PgTransaction} follows). Settings change only what this server
 * reports back; none reaches the engine, whose configuration is locked.
 */
final class PgSession {
  static final String SERVER_VERSION = "15.0";
  static final String VERSION = "PostgreSQL 15.0 (Neuralake wire protocol) on the JVM";
  private static final Pattern SET = Pattern.compile(
      "(?is)SET\\s+(?:SESSION\\s+|LOCAL\\s+)?(?:TIME\\s+ZONE\\s+(.+)|([a-z_.]+)\\s*(?:=|\\s+TO\\s+|\\s+)\\s*(.+))");
  private static final Pattern LEADING = Pattern.compile("^(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*", Pattern.DOTALL);
  /** Settings a client may change (reported back, changing nothing in the engine); names in lower case. */
  private static final Map<String, String> DEFAULTS = defaults();

  /** The settings in effect, and those that stay once the transaction block's SET LOCALs end. */
  private final PgTransaction.Settings settings = new PgTransaction.Settings(new LinkedHashMap<>(DEFAULTS),
      new LinkedHashMap<>(DEFAULTS));
  private final PgTransaction transaction = new PgTransaction();
  private final String user;
  private final String database;
  private final int processId;
  private final int secretKey;

  PgSession(String user, String database, String applicationName, int processId, int secretKey) {
    this.user = user;
    this.database = database;
    this.processId = processId;
    this.secretKey = secretKey;
    if (applicationName != null) {
      settings.effective().put("application_name", applicationName);
      settings.session().put("application_name", applicationName);
    }
  }

  private static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("server_version", SERVER_VERSION);
    m.put("server_version_num", "150000");
    m.put("server_encoding", "UTF8");
    m.put("client_encoding", "UTF8");
    m.put("datestyle", "ISO, MDY");
    m.put("timezone", "UTC");
    m.put("intervalstyle", "postgres");
    m.put("integer_datetimes", "on");
    m.put("standard_conforming_strings", "on");
    m.put("is_superuser", "off");
    m.put("application_name", "");
    m.put("extra_float_digits", "1");
    m.put("search_path", "\"$user\", public");
    m.put("transaction_isolation", "read committed");
    m.put("default_transaction_isolation", "read committed");
    m.put("default_transaction_read_only", "on");
    m.put("transaction_read_only", "on");
    m.put("client_min_messages", "notice");
    m.put("statement_timeout", "0");
    m.put("lock_timeout", "0");
    m.put("idle_in_transaction_session_timeout", "0");
    m.put("max_identifier_length", "63");
    m.put("bytea_output", "hex");
    m.put("lc_collate", "C.UTF-8");
    m.put("lc_ctype", "C.UTF-8");
    m.put("lc_messages", "C.UTF-8");
    m.put("lc_monetary", "C.UTF-8");
    m.put("lc_numeric", "C.UTF-8");
    m.put("lc_time", "C.UTF-8");
    m.put("session_authorization", "");
    m.put("geqo", "on");
    m.put("jit", "off");
    m.put("row_security", "on");
    return Map.copyOf(m);
  }

  /** The ParameterStatus messages sent after authentication (what pgJDBC and psql expect). */
  Map<String, String> reported() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("server_version", SERVER_VERSION);
    m.put("server_encoding", "UTF8");
    m.put("client_encoding", setting("client_encoding"));
    m.put("DateStyle", setting("datestyle"));
    m.put("TimeZone", setting("timezone"));
    m.put("IntervalStyle", "postgres");
    m.put("integer_datetimes", "on");
    m.put("standard_conforming_strings", "on");
    m.put("is_superuser", "off");
    m.put("session_authorization", user);
    m.put("application_name", setting("application_name"));
    m.put("default_transaction_read_only", "on");
    return m;
  }

  /** A session setting's value (PostgreSQL's current_setting); an unknown name is refused. */
  String setting(String name) {
    return settings.effective().get(known(name.toLowerCase(Locale.ROOT)));
  }

  String user() {
    return user;
  }

  String database() {
    return database;
  }

  String schema() {
    return "public";
  }

  int processId() {
    return processId;
  }

  int secretKey() {
    return secretKey;
  }

  /** ReadyForQuery's transaction status: idle, in a block, or in a failed block. */
  char status() {
    return transaction.status();
  }

  /** A statement failed: inside a block, the block is failed until ROLLBACK, as in PostgreSQL. */
  void failed() {
    transaction.failed();
  }

  /** Refuses any statement but ROLLBACK (or COMMIT, END) while the transaction block is failed. */
  void checkNotFailed(String sql) {
    transaction.checkNotFailed(normalized(sql).toUpperCase(Locale.ROOT));
  }

  /** A warning or notice sent before a statement's CommandComplete. */
  record Notice(String sqlState, String message) {}

  /** A statement refused with a SQLSTATE of PostgreSQL's own (transaction states: none of the library's codes). */
  static final class Refused extends NeuralakeException {
    private final String sqlState;

    Refused(String sqlState, String message) {
      super(ErrorCode.NOT_ALLOWED, message);
      this.sqlState = sqlState;
    }

    String sqlState() {
      return sqlState;
    }
  }

  /** What a session statement answers: a command tag, maybe one row (SHOW), maybe a warning to show first. */
  record Answer(String tag, Optional<String[]> row, String column, Notice notice) {}

  /** The answer when {@code sql} is a session statement; empty when it is a query for the engine. */
  Optional<Answer> handle(String sql) {
    String s = normalized(sql);
    String upper = s.toUpperCase(Locale.ROOT);
    transaction.checkNotFailed(upper);
    Optional<PgTransaction.Outcome> outcome = transaction.handle(upper, settings);
    if (outcome.isPresent()) {
      return Optional.of(new Answer(outcome.get().tag(), Optional.empty(), null, outcome.get().warning()));
    }
    String word = upper.split("\\s+", 2)[0];
    switch (word) {
      case "DISCARD" -> {
        if (transaction.isOpen()) {
          throw new Refused("25001", "DISCARD ALL cannot run inside a transaction block: COMMIT or ROLLBACK first");
        }
        resetAll();
        return answer("DISCARD " + upper.substring(word.length()).strip());
      }
      case "SET" -> {
        return Optional.of(set(s));
      }
      case "RESET" -> {
        String name = s.substring(5).strip().toLowerCase(Locale.ROOT);
        if (name.equals("all")) {
          resetAll();
        } else {
          put(known(name), DEFAULTS.get(known(name)), false);
        }
        return answer("RESET");
      }
      case "SHOW" -> {
        String name = s.substring(4).strip().toLowerCase(Locale.ROOT).replace("\"", "");
        if (name.equals("time zone")) {
          name = "timezone";
        } else if (name.equals("transaction isolation level")) {
          name = "transaction_isolation";
        }
        return Optional.of(new Answer("SHOW", Optional.of(new String[] {setting(name)}), name, null));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** The statement without leading comments, blanks and trailing semicolons. */
  private static String normalized(String sql) {
    String s = LEADING.matcher(sql).replaceFirst("").strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  private void resetAll() {
    for (Map<String, String> m : List.of(settings.effective(), settings.session())) {
      m.clear();
      m.putAll(DEFAULTS);
    }
  }

  /** Sets a value for the session, or ({@code local}) until the transaction block ends. */
  private void put(String key, String value, boolean local) {
    settings.effective().put(key, value);
    if (!local) {
      settings.session().put(key, value);
    }
  }

  private Answer set(String s) {
    String upper = s.toUpperCase(Locale.ROOT);
    if (upper.startsWith("SET SESSION CHARACTERISTICS") || upper.matches("SET\\s+TRANSACTION\\b.*")) {
      return new Answer("SET", Optional.empty(), null, null); // every transaction is a read-only snapshot already
    }
    boolean local = upper.matches("SET\\s+LOCAL\\b.*");
    Matcher m = SET.matcher(s);
    if (!m.matches()) {
      throw new NeuralakeException(ErrorCode.INVALID_SQL, "cannot read this SET statement; write SET name TO value");
    }
    String name = m.group(1) != null ? "timezone" : m.group(2).toLowerCase(Locale.ROOT);
    String value = (m.group(1) != null ? m.group(1) : m.group(3)).strip();
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.substring(1, value.length() - 1).replace("''", "'");
    }
    String key = known(name);
    if (List.of("server_version", "server_version_num", "server_encoding", "integer_datetimes", "is_superuser", "max_identifier_length",
        "lc_collate", "lc_ctype", "transaction_read_only", "default_transaction_read_only").contains(key)) {
      throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "parameter \"" + key + "\" cannot be changed");
    }
    if (key.equals("client_encoding") && !value.equalsIgnoreCase("UTF8") && !value.equalsIgnoreCase("UTF-8")
        && !value.equalsIgnoreCase("unicode")) {
      throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "client_encoding " + value + " is not supported: this"
          + " server speaks UTF8 only");
    }
    if (local && !transaction.isOpen()) {
      return new Answer("SET", Optional.empty(), null, new Notice("25P01",
          "SET LOCAL can only be used in transaction blocks: it changed nothing"));
    }
    put(key, value, local);
    return new Answer("SET", Optional.empty(), null, null);
  }

  private static String known(String name) {
    if (!DEFAULTS.containsKey(name)) {
      throw new NeuralakeException(ErrorCode.NOT_ALLOWED, "unrecognized configuration parameter \"" + name
          + "\": a session may set only " + String.join(", ", new java.util.TreeSet<>(DEFAULTS.keySet()))
          + " (they change what this server reports, never the engine's configuration)");
    }
    return name;
  }

  private static Optional<Answer> answer(String tag) {
    return Optional.of(new Answer(tag, Optional.empty(), null, null));
  }

  /** Whether the SQL holds nothing but comments, blanks and semicolons (Grafana's {@code -- ping}). */
  static boolean isEmpty(String sql) {
    return LEADING.matcher(sql.replace(";", " ")).replaceFirst("").isBlank();
  }
}
