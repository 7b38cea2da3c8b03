package io.neuralake.server.internal.pg;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection's transaction block, as PostgreSQL keeps it: BEGIN opens it, COMMIT and ROLLBACK
 * close it, a statement failing inside it fails it (every later statement is refused with
 * {@code 25P02} until ROLLBACK, or ROLLBACK TO a savepoint). Every query reads committed data
 * anyway (the server writes nothing), so what a block holds is the session's settings: a ROLLBACK
 * restores those of BEGIN (or of the savepoint), and {@code SET LOCAL} lasts until the block ends.
 */
final class PgTransaction {
  private static final Pattern BLOCK_WORD = Pattern.compile("(?:\\s+(?:WORK|TRANSACTION))?");
  private static final Pattern END = Pattern.compile("(COMMIT|END|ROLLBACK|ABORT)" + BLOCK_WORD
      + "(?:\\s+AND\\s+(NO\\s+)?CHAIN)?");
  private static final Pattern ROLLBACK_TO = Pattern.compile("(?:ROLLBACK|ABORT)" + BLOCK_WORD
      + "\\s+TO\\s+(?:SAVEPOINT\\s+)?(\\S+)");
  private static final Pattern SAVEPOINT = Pattern.compile("SAVEPOINT\\s+(\\S+)");
  private static final Pattern RELEASE = Pattern.compile("RELEASE\\s+(?:SAVEPOINT\\s+)?(\\S+)");

  /** The session's settings: what is in effect, and what stays once the block's SET LOCALs end. */
  record Settings(Map<String, String> effective, Map<String, String> session) {
    Settings copy() {
      return new Settings(Map.copyOf(effective), Map.copyOf(session));
    }
  }

  /** What a transaction statement answers: its command tag, and a warning to show first (or null). */
  record Outcome(String tag, PgSession.Notice warning) {}

  private record Savepoint(String name, Settings settings) {}

  private boolean open;
  private boolean failed;
  private Settings atBegin;
  private final Deque<Savepoint> savepoints = new ArrayDeque<>();

  /** ReadyForQuery's transaction status: idle, in a block, or in a failed block. */
  char status() {
    return failed ? 'E' : open ? 'T' : 'I';
  }

  boolean isOpen() {
    return open;
  }

  /** A statement failed: inside a block, the block is failed until ROLLBACK. */
  void failed() {
    if (open) {
      failed = true;
    }
  }

  /**
   * Refuses a statement in a failed block unless it ends the block or rolls back to a savepoint
   * ({@code upper}: the statement, trimmed and upper-cased), as PostgreSQL does.
   */
  void checkNotFailed(String upper) {
    if (failed && !END.matcher(upper).matches() && !ROLLBACK_TO.matcher(upper).matches()) {
      throw new PgSession.Refused("25P02", "current transaction is aborted, commands ignored until end of"
          + " transaction block: send ROLLBACK (an earlier statement of this transaction failed)");
    }
  }

  /**
   * Handles a transaction statement ({@code upper}: trimmed, upper-cased; {@code settings}: the
   * session's, changed in place on a rollback or at the block's end); empty when it is not one.
   */
  Optional<Outcome> handle(String upper, Settings settings) {
    String word = upper.split("\\s+", 2)[0];
    switch (word) {
      case "BEGIN", "START" -> {
        if (word.equals("START") && !upper.startsWith("START TRANSACTION")) {
          return Optional.empty();
        }
        if (open) {
          return Optional.of(new Outcome("BEGIN", new PgSession.Notice("25001",
              "there is already a transaction in progress")));
        }
        begin(settings);
        return Optional.of(new Outcome("BEGIN", null));
      }
      case "COMMIT", "END", "ROLLBACK", "ABORT" -> {
        return Optional.of(end(upper, settings));
      }
      case "SAVEPOINT" -> {
        Matcher m = SAVEPOINT.matcher(upper);
        if (!m.matches()) {
          return Optional.empty();
        }
        requireBlock("SAVEPOINT");
        savepoints.push(new Savepoint(m.group(1), settings.copy()));
        return Optional.of(new Outcome("SAVEPOINT", null));
      }
      case "RELEASE" -> {
        Matcher m = RELEASE.matcher(upper);
        if (!m.matches()) {
          return Optional.empty();
        }
        requireBlock("RELEASE SAVEPOINT");
        popTo(m.group(1));
        savepoints.pop();
        return Optional.of(new Outcome("RELEASE", null));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private Outcome end(String upper, Settings settings) {
    Matcher to = ROLLBACK_TO.matcher(upper);
    if (to.matches()) {
      requireBlock("ROLLBACK TO SAVEPOINT");
      popTo(to.group(1));
      restore(settings, savepoints.peek().settings());
      failed = false;
      return new Outcome("ROLLBACK", null);
    }
    Matcher m = END.matcher(upper);
    if (!m.matches()) {
      if (upper.contains("PREPARED")) {
        throw new NeuralakeException(ErrorCode.NOT_SUPPORTED, "prepared transactions (two-phase commit) are not"
            + " supported: this server only reads");
      }
      throw new NeuralakeException(ErrorCode.INVALID_SQL, "cannot read this statement: write COMMIT, ROLLBACK,"
          + " ROLLBACK TO SAVEPOINT name or END");
    }
    boolean rollback = failed || m.group(1).equals("ROLLBACK") || m.group(1).equals("ABORT");
    boolean chain = upper.contains("CHAIN") && m.group(2) == null;
    String tag = rollback ? "ROLLBACK" : "COMMIT";
    if (!open) {
      if (chain) {
        throw new PgSession.Refused("25P01", tag + " AND CHAIN can only be used in transaction blocks");
      }
      return new Outcome(tag, new PgSession.Notice("25P01", "there is no transaction in progress"));
    }
    if (rollback) {
      restore(settings, atBegin);
    } else {
      Map<String, String> kept = Map.copyOf(settings.session());
      restore(settings, new Settings(kept, kept)); // SET LOCAL ends with the block
    }
    open = false;
    failed = false;
    savepoints.clear();
    if (chain) {
      begin(settings);
    }
    return new Outcome(tag, null);
  }

  private void begin(Settings settings) {
    open = true;
    failed = false;
    atBegin = settings.copy();
    savepoints.clear();
  }

  private void requireBlock(String statement) {
    if (!open) {
      throw new PgSession.Refused("25P01", statement + " can only be used in transaction blocks: send BEGIN first");
    }
  }

  /** Drops the savepoints made after {@code name} (a name used twice: the latest), keeping it on top. */
  private void popTo(String name) {
    String wanted = unquoted(name);
    for (Iterator<Savepoint> it = savepoints.iterator(); it.hasNext();) {
      if (it.next().name().equals(wanted)) {
        while (!savepoints.peek().name().equals(wanted)) {
          savepoints.pop();
        }
        return;
      }
    }
    throw new PgSession.Refused("3B001", "savepoint \"" + wanted.toLowerCase(Locale.ROOT) + "\" does not exist");
  }

  private static String unquoted(String name) {
    return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1)
        : name;
  }

  private static void restore(Settings into, Settings from) {
    into.effective().clear();
    into.effective().putAll(from.effective());
    into.session().clear();
    into.session().putAll(from.session());
  }
}
