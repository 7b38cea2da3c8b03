package io.neuralake.delta.internal.write;

import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.json.JsonUtils;
import io.delta.kernel.internal.actions.SingleAction;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits of the writers of one host, handed to whoever holds the host commit lock: a file per
 * waiting commit in a folder beside the lock file, so one Delta commit can carry the files of
 * every writer process of the host instead of each taking its own log version in turn.
 *
 * <p>A request moves between states by renaming its file, which is atomic on one file system:
 * {@code <id>.req} (waiting) → {@code <id>.claimed-<pid>} (taken by the lock holder with that
 * process id) → {@code <id>.done} (holding the committed version) or {@code <id>.failed}. Its
 * owner may take a waiting request back ({@code .own}), and may take back a claimed one too when
 * it stops trusting the claimer (dead, stopped, slow): what keeps the data from being committed
 * twice is not this folder but put-if-absent, through two checks made before every put of a log
 * entry: a holder puts only while all its claims are still in place, and an owner that took its
 * request back puts only after finding its files in none of the log entries since it wrote the
 * request (see {@link CommitQueue}).
 */
final class CommitSpool {
  private static final Logger LOG = LoggerFactory.getLogger(CommitSpool.class);
  private static final String HEADER = "neuralake-commit-spool 1";

  private final Path dir;

  CommitSpool(Path lockFile) {
    String name = lockFile.getFileName().toString();
    this.dir = lockFile.resolveSibling(name.substring(0, name.length() - ".lock".length()) + ".spool");
  }

  /**
   * A request written by this process: its id, the table layout its files were written for (a
   * fingerprint of schema and partition columns), the log version its writer knew, and the path
   * of its first added file (what its owner looks for in the log).
   */
  record Ticket(String id, String layout, long readVersion, String firstAddPath) {}

  /** Another process's request, claimed by this one: its file and its actions. */
  record Claim(String id, Path file, List<Row> actions) {}

  /** What became of a ticket's request. */
  sealed interface State {
    /** Still waiting in the folder: nobody has claimed it. */
    record Waiting() implements State {}

    /** Committed by another process in this version. */
    record Done(long version) implements State {}

    /** Claimed by this process id, not finished yet. */
    record Claimed(long pid) implements State {}

    /** The claimer's commit failed; the data may or may not be in the log. */
    record Failed(String message) implements State {}
  }

  /** Writes a request for these actions (adds only); visible to claimers only once whole. */
  Ticket put(String layout, long readVersion, List<Row> actions) {
    String id = ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    StringBuilder text = new StringBuilder(HEADER).append('\n').append(layout).append('\n').append(readVersion).append('\n');
    String firstAdd = null;
    for (Row action : actions) {
      if (firstAdd == null && !action.isNullAt(ADD)) {
        firstAdd = action.getStruct(ADD).getString(ADD_PATH);
      }
      text.append(JsonUtils.rowToJson(action)).append('\n');
    }
    if (firstAdd == null) {
      throw new IllegalArgumentException("a spooled commit must add files");
    }
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(id + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      move(tmp, file(id, ".req"));
    } catch (IOException e) {
      throw new NeuralakeException(ErrorCode.STORAGE_ACCESS_DENIED, "cannot write a commit request in " + dir + " (" + e
          + "); make the folder writable, or set " + HostCommitLock.DIR_SETTING + " to a writable folder", e);
    }
    return new Ticket(id, layout, readVersion, firstAdd);
  }

  /** Where the request stands now (asked before its owner takes it back). */
  State state(Ticket ticket) {
    // a claimer renames the request twice (claimed, then done or failed): between the two, and
    // while a file is being read, it is in none of the places looked at; look again
    for (int attempt = 0; attempt < 1_000; attempt++) {
      try {
        Optional<State> state = lookUp(ticket);
        if (state.isPresent()) {
          return state.get();
        }
      } catch (NoSuchFileException e) {
        // renamed while being read
      } catch (IOException e) {
        throw new UncheckedIOException("reading commit request " + ticket.id() + " in " + dir, e);
      }
      Thread.onSpinWait();
    }
    throw new IllegalStateException("commit request " + ticket.id() + " vanished from " + dir);
  }

  private Optional<State> lookUp(Ticket ticket) throws IOException {
    Path done = file(ticket.id(), ".done");
    if (Files.exists(done)) {
      return Optional.of(new State.Done(Long.parseLong(Files.readString(done, StandardCharsets.US_ASCII).trim())));
    }
    Path failed = file(ticket.id(), ".failed");
    if (Files.exists(failed)) {
      return Optional.of(new State.Failed(Files.readString(failed, StandardCharsets.UTF_8)));
    }
    if (Files.exists(file(ticket.id(), ".req"))) {
      return Optional.of(new State.Waiting());
    }
    try (DirectoryStream<Path> claimed = Files.newDirectoryStream(dir, ticket.id() + ".claimed-*")) {
      for (Path p : claimed) {
        String name = p.getFileName().toString();
        return Optional.of(new State.Claimed(Long.parseLong(name.substring(name.lastIndexOf('-') + 1))));
      }
    }
    return Optional.empty();
  }

  /** Whether a claimer has finished the request (done or failed): two file look-ups, no read. */
  boolean finished(Ticket ticket) {
    return Files.exists(file(ticket.id(), ".done")) || Files.exists(file(ticket.id(), ".failed"));
  }

  /** Takes a waiting request back; false if a holder claimed it first. */
  boolean withdraw(Ticket ticket) {
    return rename(file(ticket.id(), ".req"), file(ticket.id(), ".own"));
  }

  /** Takes a claimed request back from its claimer; false if the claimer finished it first. */
  boolean revoke(Ticket ticket, long claimer) {
    return rename(file(ticket.id(), ".claimed-" + claimer), file(ticket.id(), ".own"));
  }

  /** Removes what is left of a request once its owner knows its fate. */
  void forget(Ticket ticket) {
    for (String suffix : List.of(".own", ".done", ".failed", ".req")) {
      try {
        Files.deleteIfExists(file(ticket.id(), suffix));
      } catch (IOException e) {
        LOG.debug("removing commit request {}{}: {}", ticket.id(), suffix, e.toString());
      }
    }
  }

  /**
   * Claims every waiting request of the same layout (others are left waiting for a holder of
   * theirs); only the holder of the host commit lock calls this.
   */
  List<Claim> claimWaiting(String layout) {
    List<Claim> claims = new ArrayList<>();
    long pid = ProcessHandle.current().pid();
    try (DirectoryStream<Path> waiting = Files.newDirectoryStream(dir, "*.req")) {
      for (Path request : waiting) {
        String name = request.getFileName().toString();
        String id = name.substring(0, name.length() - ".req".length());
        Path claimed = file(id, ".claimed-" + pid);
        if (!rename(request, claimed)) {
          continue;
        }
        List<String> lines = Files.readAllLines(claimed, StandardCharsets.UTF_8);
        if (lines.size() < 4 || !lines.get(0).equals(HEADER) || !lines.get(1).equals(layout)) {
          rename(claimed, request); // another schema or partitioning: its owner commits it
          continue;
        }
        List<Row> actions = new ArrayList<>(lines.size() - 3);
        for (String json : lines.subList(3, lines.size())) {
          actions.add(JsonUtils.rowFromJson(json, SingleAction.FULL_SCHEMA));
        }
        claims.add(new Claim(id, claimed, actions));
      }
    } catch (NoSuchFileException e) {
      return claims; // no folder yet: nobody has written a request
    } catch (IOException e) {
      release(claims);
      throw new UncheckedIOException("claiming commit requests in " + dir, e);
    }
    return claims;
  }

  /** Whether every claim is still this process's (no owner took its request back). */
  static boolean intact(List<Claim> claims) {
    return claims.stream().allMatch(c -> Files.exists(c.file()));
  }

  /** The claims still held (owners may have taken others back). */
  static List<Claim> stillHeld(List<Claim> claims) {
    return claims.stream().filter(c -> Files.exists(c.file())).toList();
  }

  /** Tells each claim's owner its files are committed in {@code version}. */
  void done(List<Claim> claims, long version) {
    finish(claims, ".done", Long.toString(version));
  }

  /** Tells each claim's owner the commit failed and may or may not have landed. */
  void failed(List<Claim> claims, String message) {
    finish(claims, ".failed", message);
  }

  /** Puts claims back to waiting (their files were not committed). */
  void release(List<Claim> claims) {
    for (Claim c : claims) {
      rename(c.file(), file(c.id(), ".req"));
    }
  }

  private void finish(List<Claim> claims, String suffix, String content) {
    for (Claim c : claims) {
      if (!Files.exists(c.file())) {
        continue; // its owner took it back and learns the outcome from the log
      }
      try {
        Path tmp = dir.resolve(c.id() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        move(tmp, file(c.id(), suffix));
        Files.deleteIfExists(c.file());
      } catch (IOException e) {
        // its owner waits out its bound, takes the request back and finds its files in the log
        LOG.warn("cannot tell the writer of commit request {} its outcome in {}: {}", c.id(), dir, e.toString());
      }
    }
  }

  private Path file(String id, String suffix) {
    return dir.resolve(id + suffix);
  }

  private static boolean rename(Path from, Path to) {
    try {
      move(from, to);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("renaming commit request " + from, e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
    }
  }

  private static final int ADD = SingleAction.FULL_SCHEMA.indexOf("add");
  private static final int ADD_PATH =
      ((io.delta.kernel.types.StructType) SingleAction.FULL_SCHEMA.at(ADD).getDataType()).indexOf("path");
}
