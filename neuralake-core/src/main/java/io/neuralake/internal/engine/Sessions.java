package io.neuralake.internal.engine;

import static java.util.Objects.requireNonNull;

import io.neuralake.engine.Engine;
import java.util.function.Function;

/**
 * Opens engine sessions for the internals without a public {@code Engine.openSession()}:
 * {@link Engine} registers how when it is initialised (the JDK's SharedSecrets pattern), so the
 * internal {@link Session} stays out of Engine's API.
 */
public final class Sessions {
  private static volatile Function<Engine, Session> opener;

  private Sessions() {}

  /** Called by {@link Engine} only. */
  public static void register(Function<Engine, Session> granted) {
    if (opener != null) {
      throw new IllegalStateException("session access is already registered");
    }
    opener = requireNonNull(granted, "granted");
  }

  /** A session for one query on {@code engine}: its own connection, whose temporary objects vanish with it. */
  public static Session open(Engine engine) {
    requireNonNull(engine, "engine");
    Function<Engine, Session> o = opener;
    if (o == null) {
      try {
        Class.forName(Engine.class.getName(), true, Engine.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      o = opener;
    }
    return o.apply(engine);
  }
}
