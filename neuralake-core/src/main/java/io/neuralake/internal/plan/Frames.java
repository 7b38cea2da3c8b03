package io.neuralake.internal.plan;

import static java.util.Objects.requireNonNull;

import io.neuralake.frame.Frame;

/**
 * Frames to plans and back, for the catalog and the engine, without a public {@code Frame(PlanNode)}
 * or {@code Frame.plan()}: the frame package registers the two operations when {@link Frame} is
 * initialised (the JDK's SharedSecrets pattern), so no internal type appears in Frame's API.
 */
public final class Frames {
  /** What {@link Frame} grants the internals; registered once, from Frame's static initialiser. */
  public interface Access {
    Frame frame(PlanNode plan);

    PlanNode plan(Frame frame);
  }

  private static volatile Access access;

  private Frames() {}

  /** Called by {@link Frame} only. */
  public static void register(Access granted) {
    if (access != null) {
      throw new IllegalStateException("Frame access is already registered");
    }
    access = requireNonNull(granted, "granted");
  }

  /** A frame over {@code plan}. */
  public static Frame of(PlanNode plan) {
    return access().frame(requireNonNull(plan, "plan"));
  }

  /** The plan behind {@code frame}. */
  public static PlanNode plan(Frame frame) {
    return access().plan(requireNonNull(frame, "frame"));
  }

  private static Access access() {
    Access a = access;
    if (a == null) {
      initialize(Frame.class);
      a = access;
    }
    return a;
  }

  /** Runs {@code type}'s static initialiser, which registers its hook, if it has not run yet. */
  static void initialize(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(type.getName() + " is not on the class path", e);
    }
  }
}
