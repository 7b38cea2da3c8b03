package io.neuralake.spi;

import static java.util.Objects.requireNonNull;

import io.neuralake.frame.Frame;
import io.neuralake.internal.engine.Execution;
import io.neuralake.internal.engine.Session;
import io.neuralake.internal.plan.Frames;
import io.neuralake.types.Schema;
import io.neuralake.frame.DataFrame;
import java.nio.file.Path;
import java.util.function.BiFunction;

/** Work on a frame in one engine session: how writers stage a frame's rows with SQL. */
public final class Engines {
  private Engines() {}

  /**
   * Compiles {@code frame} in a fresh session of its engine and runs {@code work} with the session
   * and the frame's SQL (a SELECT); the session closes when {@code work} returns.
   */
  public static <T> T withFrame(Frame frame, BiFunction<EngineSession, String, T> work) {
    requireNonNull(work, "work");
    return Execution.withSession(Frames.plan(frame), (session, sql) -> work.apply(new SessionView(session), sql));
  }

  /**
   * Fails if {@code file} is one of the files {@code frame} reads: writing its result there would
   * replace a table's data with (part of) itself. For callers that write a result themselves.
   */
  public static void refuseToOverwriteInput(Frame frame, Path file) {
    Execution.refuseToOverwriteInput(Frames.plan(frame), file);
  }

  /** The internal session behind a view this package handed out. */
  static Session unwrap(EngineSession session) {
    if (session instanceof SessionView v) {
      return v.session();
    }
    throw new IllegalArgumentException("not an engine session from Engines.withFrame: " + session);
  }

  private record SessionView(Session session) implements EngineSession {
    @Override
    public String newName(String prefix) {
      return session.newName(prefix);
    }

    @Override
    public void execute(String sql) {
      session.execute(sql);
    }

    @Override
    public Schema describe(String sql) {
      return session.describe(sql);
    }

    @Override
    public DataFrame collect(String sql) {
      return session.collect(sql);
    }
  }
}
